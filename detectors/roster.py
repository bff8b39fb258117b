"""Who takes a crime alert: the on-duty staff member with the nearest post, else the least loaded."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count

from alerts.models import Alert
from parking.models import Zone

from .models import DutyShift

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    from cameras.models import Camera

UNKNOWN = 10_000


def post_distance(shift: DutyShift, zone_ids: set[int], floor_levels: dict[int, int]) -> int:
    """0 same zone, 1 same floor, 2+ floors apart; UNKNOWN when either side has no place."""
    if shift.post_zone_id and shift.post_zone_id in zone_ids:
        return 0
    floor = shift.floor
    if floor is None or not floor_levels:
        return UNKNOWN
    if floor.pk in floor_levels:
        return 1
    return 2 + min(abs(floor.level - level) for level in floor_levels.values())


def _camera_places(camera: Camera) -> tuple[set[int], dict[int, int]]:
    zones = Zone.objects.filter(camera=camera).select_related("floor")
    return {z.pk for z in zones}, {z.floor.pk: z.floor.level for z in zones if z.floor}


def _loads(user_ids: list[int]) -> dict[int, int]:
    rows = (
        Alert.objects.active().filter(assigned_to__in=user_ids).values("assigned_to").annotate(n=Count("id"))
    )
    return {row["assigned_to"]: row["n"] for row in rows}


def choose_staff(camera: Camera, at: datetime | None = None) -> AbstractBaseUser | None:
    shifts = list(DutyShift.objects.on_duty(at).select_related("user", "post_zone__floor", "post_floor"))
    if not shifts:
        return None
    zone_ids, floor_levels = _camera_places(camera)
    loads = _loads([s.user_id for s in shifts])
    best = min(
        shifts, key=lambda s: (post_distance(s, zone_ids, floor_levels), loads.get(s.user_id, 0), s.user_id)
    )
    return best.user
