"""Form pieces shared by the admin of several apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .admin_secrets import secret_state

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KEEP_STORED = _("Leave empty to keep the stored one.")


def secret_field(
    label: StrOrPromise, help_text: StrOrPromise = KEEP_STORED, **kwargs: Any
) -> forms.CharField:
    """A password-style input that never shows the stored value."""
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.PasswordInput(render_value=False),
        **kwargs,
    )


class WriteOnlySecretsForm(forms.ModelForm):
    """Secrets in ``secret_fields`` are write-only: shown empty, kept when left empty."""

    secret_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.secret_fields:
            self.initial[name] = ""
            if name in self.fields and self.instance.pk:
                field = self.fields[name]
                state = secret_state(getattr(self.instance, name))
                field.help_text = format_lazy(
                    "{} {}", _("Currently: %(state)s.") % {"state": state}, field.help_text
                )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name in self.secret_fields:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
        return cleaned
