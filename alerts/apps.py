from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from django.conf import settings

        from cameras import dispatch
        from damanat.beat import register_periodic

        from .backtest import register_replay
        from .rules import RULE_EVENT_TYPES, apply_zone_rules
        from .zone_replay import ZoneRulesReplay

        dispatch.register("alerts.zone_rules", apply_zone_rules, event_types=RULE_EVENT_TYPES)
        register_replay(ZoneRulesReplay)
        register_periodic("alerts.sweep-deliveries", "alerts.sweep_deliveries",
                          settings.ALERT_SWEEP_INTERVAL_SECONDS)
