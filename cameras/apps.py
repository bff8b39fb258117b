from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "cameras"
    verbose_name = _("Cameras")

    def ready(self) -> None:
        from django.conf import settings

        from damanat.beat import register_periodic

        register_periodic("camera-health", "cameras.check_camera_health",
                          float(settings.CAMERA_HEALTH_CHECK_SECONDS))
        register_periodic("camera-drift-repair", "cameras.repair_camera_drift",
                          float(settings.CAMERA_DRIFT_CHECK_SECONDS))
        # Plate lists are re-read hourly too: a device reset or a hand edit is put right.
        register_periodic("camera-plate-sync", "cameras.sync_camera_plates",
                          float(settings.CAMERA_DRIFT_CHECK_SECONDS))
        if settings.EVENT_PROCESSING == "queued":
            # Safety net for kicks lost to a broker outage.
            register_periodic("queued-events-sweep", "cameras.drain_queued_events",
                              float(settings.EVENT_QUEUE_SWEEP_SECONDS))
        self._follow_plate_registry()

    def _follow_plate_registry(self) -> None:
        from django.apps import apps

        if not apps.is_installed("anpr"):
            return
        from anpr.signals import registry_changed

        registry_changed.connect(_registry_changed, dispatch_uid="cameras_plate_sync")


def _registry_changed(sender: object, plates: list[str] | None, **kwargs: Any) -> None:
    from django.conf import settings

    from .provisioning.plates import schedule_sync

    schedule_sync(settings.PLATE_SYNC_DELAY_SECONDS)
