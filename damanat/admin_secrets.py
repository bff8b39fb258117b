"""Stored secrets are never rendered in the admin, not even to a role that may only view.

Django's view-only change page shows every field read-only with the model's value, which
for an EncryptedTextField is the decrypted secret. For those roles each secret is swapped
for a "set / not set" field; those who may change it get the write-only input
(damanat.forms.WriteOnlySecretsForm), which also says whether one is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

STATE_SUFFIX = "_state"


def secret_state(value: object) -> StrOrPromise:
    return _("set") if value else _("not set")


def _state_display(name: str, label: StrOrPromise) -> Callable[[Any, Model], StrOrPromise]:
    @admin.display(description=label)
    def state(self: Any, obj: Model) -> StrOrPromise:
        return secret_state(getattr(obj, name, ""))

    return state


def _swapped(fields: Sequence[Any], names: set[str]) -> list:
    return [
        tuple(_swapped(f, names)) if isinstance(f, list | tuple) else (f + STATE_SUFFIX if f in names else f)
        for f in fields
    ]


class SecretsAdminMixin:
    """For a ModelAdmin whose ``form`` lists ``secret_fields``."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.form._meta.model
        for name in cls.form.secret_fields:
            setattr(cls, name + STATE_SUFFIX, _state_display(name, model._meta.get_field(name).verbose_name))

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        names = set(self.form.secret_fields)
        return [
            (title, {**options, "fields": _swapped(options["fields"], names)}) for title, options in fieldsets
        ]
