from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from celery.schedules import crontab


def just_after_local_midnight() -> crontab:
    """A beat schedule (beat runs in UTC) firing five minutes into the facility's day."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from celery.schedules import crontab
    from django.conf import settings

    offset = datetime.now(ZoneInfo(settings.FACILITY_TIME_ZONE)).utcoffset()
    minutes = (5 - int(offset.total_seconds() // 60)) % (24 * 60)
    return crontab(hour=minutes // 60, minute=minutes % 60)


class AnprConfig(AppConfig):
    name = "anpr"
    verbose_name = _("Plates and visits")

    def ready(self) -> None:
        from django.conf import settings

        from alerts.replays import register_replay
        from cameras import dispatch, processing
        from cameras.choices import EventType
        from damanat.beat import register_periodic
        from parking.drift import register_gate_counter

        from . import signals
        from .backtest import OverstayReplay
        from .services import plate_partition_key, record_plate_reads, vehicles_inside

        plate_reads = [EventType.ANPR, EventType.ACCESS_CONTROLLER]
        dispatch.register("anpr.gate_passage", record_plate_reads, event_types=plate_reads)
        processing.register_partition_key(plate_reads, plate_partition_key)
        register_gate_counter(vehicles_inside)
        register_replay(OverstayReplay)
        register_periodic("anpr-close-stale-visits", "anpr.close_stale_visits", 15 * 60)
        register_periodic("anpr-check-overstays", "anpr.check_overstays", 5 * 60)
        register_periodic("anpr-sweep-misreads", "anpr.sweep_misreads", 15 * 60)
        register_periodic("anpr-keep-day-figures", "anpr.keep_day_figures", 60 * 60)
        register_periodic(
            "anpr-announce-validity-changes", "anpr.announce_validity_changes", just_after_local_midnight()
        )
        # Gate cameras' plate lists follow the registry, and are re-read hourly too: a device
        # reset or a hand edit is put right.
        signals.registry_changed.connect(_registry_changed, dispatch_uid="cameras_plate_sync")
        register_periodic(
            "camera-plate-sync", "cameras.sync_camera_plates", float(settings.CAMERA_DRIFT_CHECK_SECONDS)
        )


def _registry_changed(sender: object, plates: list[str] | None, **kwargs: Any) -> None:
    from django.conf import settings

    from .tasks import schedule_sync

    schedule_sync(settings.PLATE_SYNC_DELAY_SECONDS)
