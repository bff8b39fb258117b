"""Floors (seed 004) and the zones the seed's examples use (seed 000 sections 7 and 10)."""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cameras.models import Camera

from . import counting
from .history import slot_start, take_snapshot
from .models import Floor, OccupancySnapshot, VehicleEvent, Zone
from .vision import record_vehicle_event

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

ZONES_, EVENTS_ = Floor.CountSource.ZONES, Floor.CountSource.EVENTS
# The two lower floors count from CAM-03's zones; the upper ones from the vision service.
FLOORS = [
    ("Ground Floor", 0, 50, "Main entry/exit point", ZONES_),
    ("First Floor", 1, 40, "", ZONES_),
    ("Second Floor", 2, 40, "", EVENTS_),
    ("Roof", 3, 20, "Open-air level", EVENTS_),
]

# The demo site is bilingual: each floor and zone has its Arabic name too.
ARABIC_NAMES = {
    "Ground Floor": "الطابق الأرضي",
    "First Floor": "الطابق الأول",
    "Second Floor": "الطابق الثاني",
    "Roof": "السطح",
    "Parking row A": "صف المواقف أ",
    "Parking row B": "صف المواقف ب",
    "Zone A": "المنطقة أ",
    "VIP restricted": "منطقة كبار الزوار المقيدة",
    "No parking": "ممنوع الوقوف",
    "Loading bay": "منطقة التحميل",
    "Emergency exit": "مخرج الطوارئ",
    "Staff only": "للموظفين فقط",
    "After hours": "بعد ساعات العمل",
    "Entry lane": "مسار الدخول",
    "Exit lane": "مسار الخروج",
}

ZONES = [
    # camera, code, name, floor, kind, capacity
    ("CAM-03", "parking-row-A", "Parking row A", "Ground Floor", Zone.Kind.PARKING, 10),
    ("CAM-03", "parking-row-B", "Parking row B", "Ground Floor", Zone.Kind.PARKING, 12),
    ("CAM-03", "zone-A", "Zone A", "First Floor", Zone.Kind.PARKING, 20),
    ("CAM-01", "restricted-vip", "VIP restricted", "Ground Floor", Zone.Kind.RESTRICTED, None),
    ("CAM-01", "no-parking-zone", "No parking", "Ground Floor", Zone.Kind.NO_PARKING, None),
    ("CAM-01", "loading-bay", "Loading bay", "Ground Floor", Zone.Kind.LOADING_BAY, None),
    ("CAM-02", "emergency-exit", "Emergency exit", "First Floor", Zone.Kind.EMERGENCY_EXIT, None),
    ("CAM-02", "staff-only-area", "Staff only", "First Floor", Zone.Kind.STAFF_ONLY, None),
    ("CAM-02", "after-hours-zone", "After hours", "Second Floor", Zone.Kind.AFTER_HOURS, None),
    # The gates' lanes: a visit's floor is the floor of the gate it came through.
    ("CAM-ENTRY", "entry-lane", "Entry lane", "Ground Floor", Zone.Kind.DETECTION, None),
    ("CAM-EXIT", "exit-lane", "Exit lane", "Ground Floor", Zone.Kind.DETECTION, None),
]


def load(out: OutputWrapper) -> None:
    floors = {}
    for name, level, slots, description, source in FLOORS:
        floors[name], _ = Floor.objects.update_or_create(
            name=name,
            defaults={
                "name_ar": ARABIC_NAMES[name],
                "level": level,
                "total_slots": slots,
                "description": description,
                "count_source": source,
            },
        )
    for camera_code, code, name, floor, kind, capacity in ZONES:
        hours = (
            {"active_from": time(22, 0), "active_until": time(6, 0)} if kind == Zone.Kind.AFTER_HOURS else {}
        )
        Zone.objects.update_or_create(
            camera=Camera.objects.get(code=camera_code),
            code=code,
            defaults={
                "name": name,
                "name_ar": ARABIC_NAMES[name],
                "floor": floors[floor],
                "kind": kind,
                "capacity": capacity,
                "configured": True,
                "counted_targets": ["vehicle"],
                **hours,
            },
        )
    _vision_events(floors["Second Floor"])
    _occupancy_history()
    take_snapshot()
    out.write(f"floors: {len(FLOORS)}, zones: {len(ZONES)}")


HISTORY_DAYS = 8
SNAPSHOT_EVERY = timedelta(minutes=15)


def _busy(moment: datetime) -> float:
    """0..1: how full the facility is at this local hour (empty at night, full at midday)."""
    hour = timezone.localtime(moment).hour + timezone.localtime(moment).minute / 60
    return max(0.05, math.sin(math.pi * (hour - 6) / 13)) if 6 <= hour <= 19 else 0.05


def _occupancy_history() -> None:
    """Snapshots of every parking zone up to now, so the occupancy charts have a week at any hour.

    The counts now are the last point's, so the dashboard and the charts agree.
    """
    rng = random.Random(7)  # noqa: S311 — demo figures, stable across runs
    now = timezone.now()
    since = slot_start(now - timedelta(days=HISTORY_DAYS))
    for zone in Zone.objects.filter(capacity__isnull=False, is_active=True):
        zone.snapshots.filter(taken_at__gte=since).delete()
        rows, moment, count = [], since, 0
        while moment <= now:
            count = min(zone.capacity, round(zone.capacity * _busy(moment) * rng.uniform(0.75, 1.05)))
            rows.append(OccupancySnapshot(zone=zone, taken_at=moment, count=count, capacity=zone.capacity))
            moment += SNAPSHOT_EVERY
        OccupancySnapshot.objects.bulk_create(rows)
        counting.correct_zone(zone, count, user=None, reason="Demo: the week's history up to now")


def _vision_events(floor: Floor) -> None:
    """A few sightings from the vision service, once (their track ids make them idempotent)."""
    if VehicleEvent.objects.filter(track_id__startswith="demo-").exists():
        return
    start = timezone.now() - timedelta(hours=2)
    types = ["car", "car", "motorcycle", "car", "bus", "truck", "car", "car"]
    for index, vehicle_type in enumerate(types):
        record_vehicle_event(
            camera_id="vision-cam-2",
            floor=floor,
            track_id=f"demo-{index}",
            vehicle_type=vehicle_type,
            direction="entry",
            confidence=0.9,
            timestamp=start + timedelta(minutes=5 * index),
        )
    record_vehicle_event(
        camera_id="vision-cam-2",
        floor=floor,
        track_id="demo-0",
        vehicle_type="car",
        direction="exit",
        confidence=0.88,
        timestamp=start + timedelta(minutes=50),
    )
