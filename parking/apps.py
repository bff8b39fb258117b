from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkingConfig(AppConfig):
    name = "parking"
    verbose_name = _("Parking")

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        from cameras import dispatch
        from cameras.choices import EventType
        from damanat.beat import register_periodic

        from .occupancy import count_region_events

        dispatch.register(
            "parking.occupancy",
            count_region_events,
            event_types=[EventType.REGION_ENTRANCE, EventType.REGION_EXITING],
        )
        register_periodic("parking-snapshot", "parking.take_snapshot", settings.OCCUPANCY_SNAPSHOT_SECONDS)
        register_periodic("parking-drift", "parking.check_drift", settings.OCCUPANCY_DRIFT_CHECK_SECONDS)
        register_periodic("parking-resets", "parking.run_scheduled_resets", 60)
        register_periodic("parking-purge", "parking.purge_old_records", crontab(hour=3, minute=17))
