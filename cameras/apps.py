from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "cameras"
    verbose_name = _("Cameras")

    def ready(self) -> None:
        from django.conf import settings

        from damanat.beat import register_periodic

        register_periodic(
            "camera-health", "cameras.check_camera_health", float(settings.CAMERA_HEALTH_CHECK_SECONDS)
        )
        register_periodic(
            "camera-drift-repair", "cameras.repair_camera_drift", float(settings.CAMERA_DRIFT_CHECK_SECONDS)
        )
        if settings.EVENT_PROCESSING == "queued":
            # Safety net for kicks lost to a broker outage.
            register_periodic(
                "queued-events-sweep",
                "cameras.drain_queued_events",
                float(settings.EVENT_QUEUE_SWEEP_SECONDS),
            )
