"""The API's operations grouped under tags a facility's integrator recognises."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema

# The first path segment under /api/v1/ → the tag of operations that name none themselves.
TAGS = {
    "alerts": _("Alerts"),
    "intrusions": _("Alerts"),
    "violations": _("Alerts"),
    "alert-deliveries": _("Alert notifications"),
    "notification-channels": _("Alert notifications"),
    "entry-exit": _("Gates and visits"),
    "visits": _("Gates and visits"),
    "anpr": _("Gates and visits"),
    "vehicles": _("Registered vehicles"),
    "events": _("Camera events"),
    "floors": _("Floors and occupancy"),
    "occupancy": _("Floors and occupancy"),
    "parking": _("Floors and occupancy"),
    "stats": _("Figures and reports"),
    "schema": _("API documentation"),
    "auth": _("Sign-in"),
}


class ProductAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        parts = [part for part in self.path.split("/") if part]
        segment = parts[2] if parts[:2] == ["api", "v1"] and len(parts) > 2 else parts[-1]
        tag = TAGS.get(segment)
        return [str(tag)] if tag else super().get_tags()
