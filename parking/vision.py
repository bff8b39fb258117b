"""Seed 004: vehicle entry/exit events from an external vision service, idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from . import counting
from .models import Floor, VehicleEvent
from .signals import vision_event_uncounted

Uncounted = VehicleEvent.UncountedReason

DELTAS = {VehicleEvent.Direction.ENTRY: 1, VehicleEvent.Direction.EXIT: -1}


def record_vehicle_event(
    *,
    camera_id: str,
    floor: Floor,
    track_id: str,
    vehicle_type: str,
    direction: str,
    confidence: float,
    timestamp: datetime | None = None,
) -> tuple[VehicleEvent, bool]:
    """Store the sighting once; count it when the floor counts its own events.

    Returns (event, created): a repeat of (camera, track, direction, timestamp) returns
    the stored event and changes nothing.
    """
    key = {
        "camera_id": camera_id,
        "track_id": track_id,
        "direction": direction,
        "timestamp": timestamp or timezone.now(),
    }
    existing = VehicleEvent.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    reason = uncounted_reason(floor)
    try:
        with transaction.atomic():
            event = VehicleEvent.objects.create(
                **key,
                floor=floor,
                vehicle_type=vehicle_type,
                confidence=confidence,
                counted=not reason,
                uncounted_reason=reason,
            )
            if event.counted:
                counting.change_floor(
                    floor, DELTAS[direction], counting.Cause.VISION_EVENT, vehicle_event=event
                )
            else:
                vision_event_uncounted.send(sender=VehicleEvent, event=event)
    except IntegrityError:
        return VehicleEvent.objects.get(**key), False
    return event, True


def uncounted_reason(floor: Floor) -> str:
    """Why an event on this floor cannot be counted; empty when it can."""
    return "" if floor.counts_events else Uncounted.FLOOR_COUNTS_ZONES


def event_statistics(hours: int, now: datetime | None = None) -> dict:
    """Seed 004's get_event_statistics: totals for the last ``hours`` hours."""
    since = (now or timezone.now()) - timedelta(hours=hours)
    events = VehicleEvent.objects.since(since).order_by()
    by_direction = dict(events.values_list("direction").annotate(n=Count("id")))
    by_type = dict(events.values_list("vehicle_type").annotate(n=Count("id")))
    by_floor = dict(events.values_list("floor__name").annotate(n=Count("id")))
    return {
        "hours": hours,
        "since": since,
        "total_events": sum(by_direction.values()),
        "entries": by_direction.get(VehicleEvent.Direction.ENTRY, 0),
        "exits": by_direction.get(VehicleEvent.Direction.EXIT, 0),
        "by_vehicle_type": {kind: by_type.get(kind, 0) for kind in VehicleEvent.VehicleType.values},
        "by_floor": by_floor,
    }


def purge_old_events(days: int, now: datetime | None = None) -> int:
    """Seed 004's cleanup_old_events; ledger rows keep their figures (the link is nulled)."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = VehicleEvent.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
