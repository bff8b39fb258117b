"""The seed's five cameras (section 2)."""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from damanat.outbound import in_networks

from .models import Camera

LOOPBACK = ["127.0.0.0/8", "::1/128"]

SEED_CAMERAS = [
    {"code": "CAM-01", "name": "Outdoor perimeter", "model": "DS-2CD3681G2-LIZSU",
     "ip_address": "192.168.1.101", "role": Camera.Role.PERIMETER, "phase": 1,
     "event_triggers": ["fielddetection", "linedetection", "VMD"]},
    {"code": "CAM-02", "name": "Covered parking", "model": "DS-2CD3781G2-LIZSU",
     "ip_address": "192.168.1.102", "role": Camera.Role.INDOOR, "phase": 1,
     "event_triggers": ["fielddetection", "linedetection", "VMD"]},
    {"code": "CAM-03", "name": "Critical zones and occupancy", "model": "DS-2CD3783G2-IZSU",
     "ip_address": "192.168.1.103", "role": Camera.Role.CRITICAL_ZONE, "phase": 1,
     "event_triggers": ["fielddetection", "linedetection", "regionEntrance", "regionExiting", "VMD"]},
    {"code": "CAM-ENTRY", "name": "Entry gate", "model": "DS-2CD7A26G0/P-IZS",
     "ip_address": "192.168.1.104", "role": Camera.Role.ENTRY_GATE, "gate": Camera.Gate.ENTRY,
     "phase": 2, "push_format": Camera.PushFormat.JSON, "event_triggers": ["AccessControllerEvent"]},
    {"code": "CAM-EXIT", "name": "Exit gate", "model": "DS-2CD7A26G0/P-IZS",
     "ip_address": "192.168.1.105", "role": Camera.Role.EXIT_GATE, "gate": Camera.Gate.EXIT,
     "phase": 2, "push_format": Camera.PushFormat.JSON, "event_triggers": ["AccessControllerEvent"]},
]


def load(out) -> None:
    _refuse_where_the_cameras_would_be_called()
    for spec in SEED_CAMERAS:
        fields = {k: v for k, v in spec.items() if k != "code"}
        Camera.objects.update_or_create(code=spec["code"], defaults=fields)
    out.write(f"cameras: {len(SEED_CAMERAS)} (CAM-01 … CAM-EXIT)")


def _refuse_where_the_cameras_would_be_called() -> None:
    """A production install allows the facility LAN, which the made-up addresses are in."""
    called = [spec["code"] for spec in SEED_CAMERAS
              if not in_networks(spec["ip_address"], LOOPBACK)
              and in_networks(spec["ip_address"], settings.ISAPI_ALLOWED_NETWORKS)]
    if called:
        raise CommandError(
            f"Demo not loaded: cameras {', '.join(called)} have made-up addresses inside "
            "ISAPI_ALLOWED_NETWORKS, so this server would call them. Load the demo on a "
            "development install (DJANGO_DEBUG=true: ISAPI_ALLOWED_NETWORKS is loopback only).")
