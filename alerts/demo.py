"""Demo notification channels (off, or pointing at this machine) and a few sample alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cameras.models import Camera
from parking.models import Zone

from .choices import Activity, ChannelKind, Kind, Severity, Status
from .models import Alert, NotificationChannel
from .wording import each_language, render_in

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

CHANNELS = [
    {
        "name": "Demo webhook (local receiver)",
        "kind": ChannelKind.WEBHOOK,
        "enabled": False,
        "url": "http://127.0.0.1:9009/damanat/alerts",
        "secret": "demo-signing-secret",
        "min_severity": Severity.MEDIUM,
    },
    {
        "name": "Demo security office email",
        "kind": ChannelKind.EMAIL,
        "enabled": False,
        "recipients": "security@damanat.local",
        "language": "ar",
        "alert_kinds": [Kind.INTRUSION, Kind.VIOLATION, Kind.CRIME],
    },
    {
        "name": "Demo MQTT (local Mosquitto)",
        "kind": ChannelKind.MQTT,
        "enabled": False,
        "mqtt_host": "127.0.0.1",
        "mqtt_port": 1883,
        "mqtt_topic_prefix": "damanat/alerts",
    },
]

SAMPLES = [
    # zone code, kind, severity, status, wording (alerts.wording), plate, minutes ago
    ("restricted-vip", Kind.VIOLATION, Severity.MEDIUM, Status.OPEN, "vehicle_in_zone", "", 12),
    ("emergency-exit", Kind.INTRUSION, Severity.CRITICAL, Status.ACKNOWLEDGED, "intrusion_in_zone", "", 45),
    ("loading-bay", Kind.VIOLATION, Severity.MEDIUM, Status.RESOLVED, "vehicle_in_zone", "ABC1234", 180),
]


def load(out: OutputWrapper) -> None:
    for spec in CHANNELS:
        NotificationChannel.objects.update_or_create(name=spec["name"], defaults=spec)
    made = sum(_sample(*sample) for sample in SAMPLES)
    out.write(f"alerts: {len(CHANNELS)} demo channels (disabled), {made} new sample alerts")


def _sample(
    zone_code: str, kind: str, severity: str, status: str, topic: str, plate: str, minutes: int
) -> bool:
    zone = Zone.objects.filter(code=zone_code).select_related("camera").first()
    camera = zone.camera if zone else Camera.objects.first()
    seen = timezone.now() - timedelta(minutes=minutes)
    params = {
        "topic": topic,
        "zone": each_language(lambda: str(zone)),
        "camera": camera.code,
        "event": "fielddetection",
        "target": "vehicle",
    }
    title, description = render_in("en", kind, params)
    alert, created = Alert.objects.update_or_create(
        group_key=f"demo|{zone_code}|{kind}",
        defaults={
            "kind": kind,
            "severity": severity,
            "status": status,
            "title": title,
            "zone": zone,
            "camera": camera,
            "plate": plate,
            "first_seen_at": seen,
            "last_seen_at": seen,
            "description": description,
            "params": params,
            "event_type": "fielddetection",
        },
    )
    if created:
        alert.history.create(action=Activity.OPENED, at=seen)
        if status != Status.OPEN:
            alert.history.create(action=status, at=seen + timedelta(minutes=3))
    return created
