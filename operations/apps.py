from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from celery.schedules import crontab

        from damanat.beat import register_periodic
        from parking.history import use_snapshot_retention

        from . import audit, metrics
        from .retention import keep_days

        audit.connect()
        metrics.connect()
        use_snapshot_retention(lambda: keep_days("snapshots"))
        register_periodic("retention-nightly", "operations.tasks.apply_retention", crontab(hour=2, minute=30))
        register_periodic(
            "media-budget",
            "operations.tasks.enforce_picture_budget",
            float(settings.MEDIA_BUDGET_CHECK_SECONDS),
        )
