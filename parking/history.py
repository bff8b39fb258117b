"""Occupancy history: snapshots every 5 minutes (Celery beat), read back for charts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .models import Floor, OccupancySnapshot, Zone


def slot_start(moment: datetime) -> datetime:
    """The start of the 5-minute slot holding ``moment``, so re-runs land on the same row."""
    step = settings.OCCUPANCY_SNAPSHOT_SECONDS
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % step, tz=UTC)


def take_snapshot(now: datetime | None = None) -> int:
    """One row per active zone and floor for the current slot; returns rows written."""
    taken_at = slot_start(now or timezone.now())
    rows = [
        OccupancySnapshot(taken_at=taken_at, zone_id=pk, count=count, capacity=capacity)
        for pk, count, capacity in Zone.objects.filter(is_active=True).values_list(
            "pk", "current_count", "capacity"
        )
    ]
    rows += [
        OccupancySnapshot(
            taken_at=taken_at, floor_id=floor.pk, count=floor.occupied, capacity=floor.total_slots
        )
        for floor in Floor.objects.active().with_occupancy()
    ]
    created = OccupancySnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def history(
    *, zone: Zone | None = None, floor: Floor | None = None, since: datetime, until: datetime
) -> list[dict]:
    """Points for one zone, one floor, or the whole facility (sum of its floors)."""
    rows = OccupancySnapshot.objects.filter(taken_at__gte=since, taken_at__lt=until).order_by("taken_at")
    if zone is not None:
        points = rows.filter(zone=zone).values("taken_at", "count", "capacity")
    elif floor is not None:
        points = rows.filter(floor=floor).values("taken_at", "count", "capacity")
    else:
        points = (
            rows.filter(floor__isnull=False)
            .values("taken_at")
            .annotate(count=Sum("count"), capacity=Sum("capacity"))
        )
    return [_with_percent(point) for point in points]


def _with_percent(point: dict) -> dict:
    capacity = point["capacity"]
    percent = round(point["count"] / capacity * 100, 1) if capacity else None
    return {**point, "occupancy_percent": percent}


# One knob for snapshot age: operations installs its retention policy (the admin's, else
# RETENTION_SNAPSHOTS_DAYS) here; without it snapshots are kept.
_snapshot_retention: list[Callable[[], int | None]] = []


def use_snapshot_retention(keep_days: Callable[[], int | None]) -> None:
    _snapshot_retention[:] = [keep_days]


def snapshot_keep_days() -> int | None:
    return _snapshot_retention[0]() if _snapshot_retention else None


def purge_old_snapshots(days: int, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = OccupancySnapshot.objects.filter(taken_at__lt=cutoff).delete()
    return deleted
