"""Floors (seed 004) and the zones the seed's examples use (seed 000 sections 7 and 10)."""
from __future__ import annotations

from datetime import time

from cameras.models import Camera

from .models import Floor, Zone

FLOORS = [("Ground Floor", 0, 50, "Main entry/exit point"), ("First Floor", 1, 40, ""),
          ("Second Floor", 2, 40, ""), ("Roof", 3, 20, "Open-air level")]

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
]


def load(out) -> None:
    floors = {}
    for name, level, slots, description in FLOORS:
        floors[name], _ = Floor.objects.update_or_create(
            name=name, defaults={"level": level, "total_slots": slots, "description": description})
    for camera_code, code, name, floor, kind, capacity in ZONES:
        hours = {"active_from": time(22, 0), "active_until": time(6, 0)} \
            if kind == Zone.Kind.AFTER_HOURS else {}
        Zone.objects.update_or_create(
            camera=Camera.objects.get(code=camera_code), code=code,
            defaults={"name": name, "floor": floors[floor], "kind": kind, "capacity": capacity,
                      "configured": True, "counted_targets": ["vehicle"], **hours})
    out.write(f"floors: {len(FLOORS)}, zones: {len(ZONES)}")
