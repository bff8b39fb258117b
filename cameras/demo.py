"""The seed's five cameras (section 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .isapi.client import address_allowed
from .models import Camera

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

SEED_CAMERAS = [
    {
        "code": "CAM-01",
        "name": "Outdoor perimeter",
        "name_ar": "المحيط الخارجي",
        "model": "DS-2CD3681G2-LIZSU",
        "ip_address": "192.168.1.101",
        "role": Camera.Role.PERIMETER,
        "phase": 1,
        "event_triggers": ["fielddetection", "linedetection", "VMD"],
    },
    {
        "code": "CAM-02",
        "name": "Covered parking",
        "name_ar": "المواقف المغطاة",
        "model": "DS-2CD3781G2-LIZSU",
        "ip_address": "192.168.1.102",
        "role": Camera.Role.INDOOR,
        "phase": 1,
        "event_triggers": ["fielddetection", "linedetection", "VMD"],
    },
    {
        "code": "CAM-03",
        "name": "Critical zones and occupancy",
        "name_ar": "المناطق الحساسة والإشغال",
        "model": "DS-2CD3783G2-IZSU",
        "ip_address": "192.168.1.103",
        "role": Camera.Role.CRITICAL_ZONE,
        "phase": 1,
        "event_triggers": ["fielddetection", "linedetection", "regionEntrance", "regionExiting", "VMD"],
    },
    {
        "code": "CAM-ENTRY",
        "name": "Entry gate",
        "name_ar": "بوابة الدخول",
        "model": "DS-2CD7A26G0/P-IZS",
        "ip_address": "192.168.1.104",
        "role": Camera.Role.ENTRY_GATE,
        "gate": Camera.Gate.ENTRY,
        "phase": 2,
        "push_format": Camera.PushFormat.JSON,
        "event_triggers": ["AccessControllerEvent"],
    },
    {
        "code": "CAM-EXIT",
        "name": "Exit gate",
        "name_ar": "بوابة الخروج",
        "model": "DS-2CD7A26G0/P-IZS",
        "ip_address": "192.168.1.105",
        "role": Camera.Role.EXIT_GATE,
        "gate": Camera.Gate.EXIT,
        "phase": 2,
        "push_format": Camera.PushFormat.JSON,
        "event_triggers": ["AccessControllerEvent"],
    },
]


def demo_address(seed_address: str) -> str:
    """The seed's LAN address where ISAPI_ALLOWED_NETWORKS leaves it out (development: it is
    never called); a loopback one where the allow-list would call it (production's LAN)."""
    if not address_allowed(seed_address):
        return seed_address
    return "127.0.0." + seed_address.rsplit(".", 1)[1]


def load(out: OutputWrapper) -> None:
    for spec in SEED_CAMERAS:
        fields = {k: v for k, v in spec.items() if k != "code"}
        fields["ip_address"] = demo_address(fields["ip_address"])
        Camera.objects.update_or_create(code=spec["code"], defaults=fields)
    seeded_lan = all(not address_allowed(spec["ip_address"]) for spec in SEED_CAMERAS)
    where = "" if seeded_lan else ", on loopback addresses: the seed's LAN ones are in ISAPI_ALLOWED_NETWORKS"
    out.write(f"cameras: {len(SEED_CAMERAS)} (CAM-01 … CAM-EXIT{where})")
