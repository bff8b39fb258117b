"""The site the peer's wrk scenarios push to, as Damanat configuration, plus the alert probe's zones.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dn .venv/bin/python bench/site_fixture.py

/work/shared/peer/wrk/common.lua sends, by X-Forwarded-For address:
- 192.168.1.101-103 (CAM-01..03): field and line detection in twelve regions, every one on
  every camera; the seed's rules treat restricted-vip, no-parking-zone, emergency-exit and
  loading-bay as violations and emergency-exit, staff-only-area and after-hours-zone as
  intrusions (at any hour), the rest as plain detection regions;
- 192.168.1.103 (CAM-03): regionEntrance/regionExiting in parking-row-01..20, which the
  seed counts with a capacity of 10;
- 192.168.1.104/105 (CAM-ENTRY, CAM-EXIT): AccessControllerEvent plates.
Each region becomes a configured Zone of the matching kind, so Damanat's rules run on
every push as the peer's do. The probe camera (PROBE_ADDRESS) gets PROBE_ZONES restricted
zones, one per probe push, so that each probe opens its own alert (no cooldown).
Idempotent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE_CAMERA = "CAM-PROBE"
PROBE_ADDRESS = "192.168.1.150"
PROBE_ZONES = 1000
FIELD_REGIONS = {
    "zone-A": "detection",
    "zone-B": "detection",
    "zone-C": "detection",
    "parking-row-A": "detection",
    "parking-row-B": "detection",
    "visitor-bay": "detection",
    "restricted-vip": "restricted",
    "no-parking-zone": "no_parking",
    "emergency-exit": "emergency_exit",
    "loading-bay": "loading_bay",
    "staff-only-area": "staff_only",
    "after-hours-zone": "after_hours",
}
FIELD_CAMERAS = ["CAM-01", "CAM-02", "CAM-03"]
OCCUPANCY_ZONES = [f"parking-row-{n:02d}" for n in range(1, 21)]
OCCUPANCY_CAPACITY = 10


def probe_zone(n: int) -> str:
    return f"probe-{n:04d}"


def load() -> None:
    from cameras import demo
    from cameras.models import Camera
    from parking.models import Floor, Zone

    demo.load(sys.stdout)
    floor, _ = Floor.objects.update_or_create(
        name="Ground Floor", defaults={"total_slots": len(OCCUPANCY_ZONES) * OCCUPANCY_CAPACITY}
    )
    cameras = {c.code: c for c in Camera.objects.all()}
    for code in FIELD_CAMERAS:
        for region, kind in FIELD_REGIONS.items():
            _zone(Zone, cameras[code], region, kind=kind)
    for region in OCCUPANCY_ZONES:
        _zone(
            Zone, cameras["CAM-03"], region, kind=Zone.Kind.PARKING, floor=floor, capacity=OCCUPANCY_CAPACITY
        )
    probe, _ = Camera.objects.update_or_create(
        code=PROBE_CAMERA,
        defaults={"ip_address": PROBE_ADDRESS, "role": Camera.Role.PERIMETER, "name": "Alert latency probe"},
    )
    Zone.objects.filter(camera=probe).delete()
    Zone.objects.bulk_create(
        [
            Zone(
                camera=probe,
                code=probe_zone(n),
                name=probe_zone(n),
                kind=Zone.Kind.RESTRICTED,
                counted_targets=["vehicle"],
            )
            for n in range(PROBE_ZONES)
        ]
    )
    sys.stdout.write(
        f"\nbench site: {len(FIELD_CAMERAS) * len(FIELD_REGIONS)} field zones, "
        f"{len(OCCUPANCY_ZONES)} parking zones, {PROBE_ZONES} probe zones\n"
    )


def _zone(zone_model, camera, code: str, **fields) -> None:
    zone_model.objects.update_or_create(
        camera=camera,
        code=code,
        defaults={"name": code, "configured": True, "counted_targets": ["vehicle"], **fields},
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
    import django

    django.setup()
    load()
