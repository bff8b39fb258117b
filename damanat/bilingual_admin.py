"""Admin forms show a model's English and Arabic names side by side on one row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest


def pair_names(fields: Sequence[Any]) -> list:
    """``[..., "name", ..., "name_ar"]`` → ``[..., ("name", "name_ar"), ...]``."""
    fields = list(fields)
    if "name" in fields and "name_ar" in fields:
        fields.remove("name_ar")
        fields[fields.index("name")] = ("name", "name_ar")
    return fields


class BilingualNameAdmin:
    """Mixin for a ModelAdmin whose model has ``name`` and ``name_ar``."""

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        return [
            (title, {**options, "fields": pair_names(options["fields"])})
            for title, options in super().get_fieldsets(request, obj)
        ]
