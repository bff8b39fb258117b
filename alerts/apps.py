from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from django.conf import settings

        from cameras import dispatch
        from cameras.signals import camera_back_online, camera_offline
        from damanat.beat import register_periodic
        from parking import signals as parking_signals

        from . import parking_alerts
        from .camera_health import raise_offline, resolve_offline
        from .capacity_replay import CapacityReplay
        from .replays import register_replay
        from .rules import RULE_EVENT_TYPES, apply_zone_rules
        from .zone_replay import ZoneRulesReplay

        dispatch.register("alerts.zone_rules", apply_zone_rules, event_types=RULE_EVENT_TYPES)
        camera_offline.connect(raise_offline, dispatch_uid="alerts.camera_offline")
        camera_back_online.connect(resolve_offline, dispatch_uid="alerts.camera_back_online")
        for name in ("zones_full", "counters_drifted", "vision_event_uncounted"):
            signal, receiver = getattr(parking_signals, name), getattr(parking_alerts, name)
            signal.connect(receiver, dispatch_uid=f"alerts.{name}")
        register_replay(CapacityReplay)
        register_replay(ZoneRulesReplay)
        register_periodic(
            "alerts.sweep-deliveries", "alerts.sweep_deliveries", settings.ALERT_SWEEP_INTERVAL_SECONDS
        )
