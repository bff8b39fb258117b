"""UC3: camera region events move zone counts; a zone crossing the threshold is announced once
(``parking.signals.zones_full``; alerts raises the occupancy_full alert)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings

from cameras.choices import EventType

from . import counting
from .models import Zone
from .signals import zones_full

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cameras.models import CameraEvent

logger = logging.getLogger(__name__)
DELTAS = {EventType.REGION_ENTRANCE.lower(): 1, EventType.REGION_EXITING.lower(): -1}


def count_region_events(events: Sequence[CameraEvent]) -> None:
    """The dispatch handler for regionEntrance (+1) and regionExiting (-1), over a batch."""
    moving = [
        (event, DELTAS[event.event_type.lower()])
        for event in events
        if event.event_state != "inactive" and _has_region(event)
    ]
    zones = Zone.for_regions([(event.camera, event.region_id) for event, _delta in moving])
    moves = []
    for event, delta in moving:
        zone = zones.get((event.camera_id, event.region_id))
        if zone is not None and zone.is_active and zone.counts_target(event.detection_target):
            moves.append(counting.Move(zone, delta, {"camera_event": event}))
    if not moves:
        return
    applied = counting.change_zones(moves, counting.Cause.CAMERA_EVENT)
    check_capacities(
        [
            (move.zone, result.count, move.links["camera_event"])
            for move, result in zip(moves, applied, strict=True)
        ]
    )


def _has_region(event: CameraEvent) -> bool:
    if not event.region_id:
        logger.warning("%s event %s without a regionID: not counted", event.event_type, event.pk)
    return bool(event.region_id)


def check_capacities(counts: Iterable[tuple[Zone, int, CameraEvent | None]]) -> None:
    """Full zones over a batch's (zone, count after, event) in arrival order, announced at once.

    The zones' rows are locked by the batch's count changes, so their arming is read and
    written here without a compare-and-set.
    """
    by_zone: dict[int, list] = {}
    for zone, count, event in counts:
        if zone.capacity:
            by_zone.setdefault(zone.pk, []).append((zone, count, event))
    if not by_zone:
        return
    armed = dict(Zone.objects.filter(pk__in=by_zone).values_list("pk", "full_alert_armed"))
    crossings: list = []
    for pk, changes in by_zone.items():
        now_armed = _walk_arming(armed[pk], changes, crossings)
        if now_armed != armed[pk]:
            Zone.objects.filter(pk=pk).update(full_alert_armed=now_armed)
    if crossings:
        zones_full.send(sender=Zone, crossings=crossings)


def _walk_arming(
    armed: bool, changes: Iterable[tuple[Zone, int, CameraEvent | None]], crossings: list
) -> bool:
    armed, crossed = full_crossings(armed, changes)
    crossings += crossed
    return armed


def full_crossings(
    armed: bool, changes: Iterable[tuple[Zone, int, CameraEvent | None]], threshold: float | None = None
) -> tuple[bool, list]:
    """The (zone, count, event) changes that cross the threshold while armed, and the arming
    after them; the backtest (alerts.capacity_replay) walks a draft zone and threshold through it."""
    threshold = settings.OCCUPANCY_ALERT_THRESHOLD if threshold is None else threshold
    crossed = []
    for change in changes:
        ratio = change[1] / change[0].capacity
        if ratio < threshold - settings.OCCUPANCY_ALERT_REARM_MARGIN:
            armed = True
        elif ratio >= threshold and armed:
            armed = False
            crossed.append(change)
    return armed, crossed


def correct_zone_count(zone: Zone, value: int, *, user: User | None, reason: str) -> counting.Applied:
    """Staff set the count (admin action or API); the ledger keeps who and why."""
    applied = counting.correct_zone(zone, value, user=user, reason=reason)
    check_capacity(zone)
    return applied


def _ratio(zone: Zone) -> float | None:
    return zone.current_count / zone.capacity if zone.capacity else None


def check_capacity(zone: Zone, source_event: CameraEvent | None = None) -> bool:
    """Announce a full zone once per crossing; re-arm below the threshold minus the margin.

    Arming is a compare-and-set on the zone row, so concurrent events announce it once.
    Returns True when it was announced.
    """
    ratio = _ratio(zone)
    if ratio is None:
        return False
    threshold = settings.OCCUPANCY_ALERT_THRESHOLD
    if ratio < threshold - settings.OCCUPANCY_ALERT_REARM_MARGIN:
        Zone.objects.filter(pk=zone.pk, full_alert_armed=False).update(full_alert_armed=True)
        return False
    if ratio < threshold:
        return False
    if not Zone.objects.filter(pk=zone.pk, full_alert_armed=True).update(full_alert_armed=False):
        return False
    zones_full.send(sender=Zone, crossings=[(zone, zone.current_count, source_event)])
    return True
