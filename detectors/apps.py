from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class DetectorsConfig(AppConfig):
    name = "detectors"
    verbose_name = _("AI detectors")

    def ready(self) -> None:
        from damanat.beat import register_periodic

        from .api import schema  # noqa: F401 — registers the bearer scheme with drf-spectacular

        register_periodic(
            "detectors-heartbeat-watchdog",
            "detectors.check_heartbeats",
            float(settings.DETECTOR_WATCHDOG_INTERVAL_SECONDS),
        )
        register_periodic("detectors-evidence-sweep", "detectors.sweep_evidence", 300.0)
