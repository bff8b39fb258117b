"""Changing a count: one atomic UPDATE in the database, one ledger row per change.

The UPDATE computes the new count and the applied delta from the row's own values
(``GREATEST(count + d, 0)``), so concurrent changes never read-modify-write in Python.
The row stays locked until the surrounding transaction ends, so reading it back in the
same transaction gives exactly the count this change produced, for the ledger. The
processor's batches use ``change_zones``: the rows locked first, then one UPDATE each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import Floor, OccupancyChange, Zone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Cause = OccupancyChange.Cause


@dataclass(frozen=True)
class Applied:
    count: int
    delta: int
    change: OccupancyChange


def _clamped_update(
    model: type[Zone] | type[Floor], pk: int, field: str, delta: int, now: datetime
) -> tuple[int, int]:
    """Add delta to the counter, floored at zero; return (new count, applied delta)."""
    current = F(field)
    applied = Case(When(**{f"{field}__lt": -delta}, then=-current), default=Value(delta))
    rows = model.objects.filter(pk=pk).update(
        **{field: Greatest(current + delta, 0)}, last_delta=applied, updated_at=now
    )
    if rows == 0:
        raise model.DoesNotExist
    return model.objects.filter(pk=pk).values_list(field, "last_delta").get()


def _set_update(
    model: type[Zone] | type[Floor], pk: int, field: str, value: int, now: datetime
) -> tuple[int, int]:
    rows = model.objects.filter(pk=pk).update(
        **{field: value}, last_delta=Value(value) - F(field), updated_at=now
    )
    if rows == 0:
        raise model.DoesNotExist
    return model.objects.filter(pk=pk).values_list(field, "last_delta").get()


def _ledger_row(
    subject: Zone | Floor, count: int, requested: int, applied: int, cause: str, now: datetime, **links: Any
) -> OccupancyChange:
    capacity = subject.capacity if isinstance(subject, Zone) else subject.total_slots
    over = max(0, count - capacity) if capacity else 0
    target = {"zone": subject} if isinstance(subject, Zone) else {"floor": subject}
    return OccupancyChange(
        **target,
        cause=cause,
        requested=requested,
        delta=applied,
        count_after=count,
        capacity=capacity,
        over_capacity=over,
        created_at=now,
        **links,
    )


def _record(
    subject: Zone | Floor, count: int, requested: int, applied: int, cause: str, now: datetime, **links: Any
) -> OccupancyChange:
    row = _ledger_row(subject, count, requested, applied, cause, now, **links)
    row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class Move:
    zone: Zone
    delta: int
    links: dict


@transaction.atomic
def change_zones(moves: Sequence[Move], cause: str) -> list[Applied]:
    """Apply many changes in arrival order: the batch form of ``change_zone``.

    Each touched zone row is locked once (in id order, so two batches never deadlock),
    its count is clamped change by change in Python while the lock keeps every other
    writer out, and it is written back with one UPDATE; the ledger rows are one INSERT.
    """
    now = timezone.now()
    ids = sorted({move.zone.pk for move in moves})
    counts = dict(
        Zone.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", "current_count")
    )
    last_delta: dict[int, int] = {}
    applied = []
    for move in moves:
        before = counts[move.zone.pk]
        after = max(before + move.delta, 0)
        counts[move.zone.pk] = after
        last_delta[move.zone.pk] = after - before
        row = _ledger_row(move.zone, after, move.delta, after - before, cause, now, **move.links)
        applied.append(Applied(after, after - before, row))
    for pk in ids:
        Zone.objects.filter(pk=pk).update(current_count=counts[pk], last_delta=last_delta[pk], updated_at=now)
    OccupancyChange.objects.bulk_create([result.change for result in applied])
    for move in moves:
        move.zone.current_count, move.zone.last_delta = counts[move.zone.pk], last_delta[move.zone.pk]
    return applied


@transaction.atomic
def change_zone(zone: Zone, delta: int, cause: str, *, at: datetime | None = None, **links: Any) -> Applied:
    """Add ``delta`` to the zone (never below zero) and write the ledger row."""
    now = at or timezone.now()
    count, applied = _clamped_update(Zone, zone.pk, "current_count", delta, now)
    zone.current_count, zone.last_delta = count, applied
    return Applied(count, applied, _record(zone, count, delta, applied, cause, now, **links))


@transaction.atomic
def change_floor(
    floor: Floor, delta: int, cause: str, *, at: datetime | None = None, **links: Any
) -> Applied:
    """Add ``delta`` to a floor that counts its own events, and write the ledger row."""
    now = at or timezone.now()
    count, applied = _clamped_update(Floor, floor.pk, "current_vehicles", delta, now)
    floor.current_vehicles, floor.last_delta = count, applied
    return Applied(count, applied, _record(floor, count, delta, applied, cause, now, **links))


@transaction.atomic
def set_zone_count(
    zone: Zone,
    value: int,
    cause: str,
    *,
    user: User | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Applied:
    """Set the zone to ``value`` (a correction or reset); the ledger keeps who and why."""
    if value < 0:
        raise ValueError("a count cannot be negative")
    now = at or timezone.now()
    count, applied = _set_update(Zone, zone.pk, "current_count", value, now)
    zone.current_count = count
    change = _record(zone, count, applied, applied, cause, now, user=user, reason=reason)
    return Applied(count, applied, change)


def correct_zone(
    zone: Zone, value: int, *, user: User | None, reason: str, at: datetime | None = None
) -> Applied:
    if not reason.strip():
        raise ValueError("a correction needs a reason")
    cause = Cause.RESET if value == 0 else Cause.CORRECTION
    return set_zone_count(zone, value, cause, user=user, reason=reason.strip(), at=at)
