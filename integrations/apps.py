from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from django.conf import settings

        from damanat.beat import register_periodic

        from . import signals

        signals.connect()
        register_periodic(
            "integrations.sweep-exports", "integrations.sweep_exports", settings.EXPORT_SWEEP_SECONDS
        )
        register_periodic("integrations.purge-export-records", "integrations.purge_export_records", 6 * 3600)
