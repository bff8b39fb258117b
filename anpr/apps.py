from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnprConfig(AppConfig):
    name = "anpr"
    verbose_name = _("Plates and visits")

    def ready(self) -> None:
        from cameras import dispatch
        from cameras.choices import EventType
        from damanat.beat import register_periodic
        from parking.drift import register_gate_counter

        from . import signals  # noqa: F401 — connects the registry_changed senders
        from .services import record_plate_read, vehicles_inside

        dispatch.register("anpr.gate_passage", record_plate_read,
                          event_types=[EventType.ANPR, EventType.ACCESS_CONTROLLER])
        register_gate_counter(vehicles_inside)
        register_periodic("anpr-close-stale-visits", "anpr.close_stale_visits", 15 * 60)
        register_periodic("anpr-check-overstays", "anpr.check_overstays", 5 * 60)
