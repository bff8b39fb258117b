"""Backtest of the zone-full alert: a zone's capacity or the occupancy threshold, replayed
over the zone's stored entries and exits through ``parking.occupancy.full_crossings``.

The count starts where the ledger had it when the period began, moves with each event the
zone counts (floored at zero, as the real counter) and takes the ledger's manual
corrections and resets at their moments.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cameras.choices import EventType
from parking.models import OccupancyChange
from parking.occupancy import DELTAS, full_crossings

from .backtest import CURRENT, DRAFT, Cooldown, Tally, draft_zone, in_id_range
from .choices import Kind
from .parking_alerts import FULL_ALERT_COOLDOWN_SECONDS
from .zone_replay import EventReplay, EventRow, accepted_events

if TYPE_CHECKING:
    from alerts.models import BacktestRun

SET_BY_HAND = (
    OccupancyChange.Cause.CORRECTION,
    OccupancyChange.Cause.RESET,
    OccupancyChange.Cause.SCHEDULED_RESET,
)


class Side:
    """One rule's view of the zone: its count, its arming and its cooldown."""

    def __init__(self, zone: Any, threshold: float, count: int) -> None:
        self.zone, self.threshold, self.count = zone, threshold, count
        self.armed = not zone.capacity or count / zone.capacity < threshold
        self.cooldown = Cooldown(FULL_ALERT_COOLDOWN_SECONDS)

    def move(self, event: EventRow) -> bool:
        """Count the event; True when it raises the zone-full alert."""
        if not (self.zone.is_active and self.zone.counts_target(event.detection_target)):
            return False
        self.count = max(0, self.count + DELTAS[event.event_type.lower()])
        if not self.zone.capacity:
            return False
        self.armed, crossed = full_crossings(self.armed, [(self.zone, self.count, event)], self.threshold)
        return bool(crossed) and self.cooldown.opens(self.zone.pk, event.occurred_at)


class CapacityReplay(EventReplay):
    rule = "capacity"
    label = _("Zone full (capacity, threshold)")
    position = 1
    kinds = (Kind.OCCUPANCY_FULL,)
    needs_zone = True

    def __init__(self, run: BacktestRun, since: datetime, until: datetime) -> None:
        super().__init__(run, since, until)
        zone = run.zone
        events = accepted_events(since, until, [EventType.REGION_ENTRANCE, EventType.REGION_EXITING])
        events = events.filter(camera_id=zone.camera_id, region_id=zone.code)
        self.rows = in_id_range(events)
        count = self._count_at(zone, since)
        now = settings.OCCUPANCY_ALERT_THRESHOLD
        draft = self.changes.get("threshold") or now
        self.sides = {
            CURRENT: Side(zone, now, count),
            DRAFT: Side(draft_zone(zone, self.changes), draft, count),
        }
        self.corrections = list(
            OccupancyChange.objects.filter(
                zone=zone, cause__in=SET_BY_HAND, created_at__gte=since, created_at__lt=until
            )
            .order_by("-created_at", "-id")
            .values_list("created_at", "count_after")
        )

    @staticmethod
    def _count_at(zone: Any, moment: datetime) -> int:
        before = (
            OccupancyChange.objects.filter(zone=zone, created_at__lt=moment)
            .order_by("-created_at", "-id")
            .values_list("count_after", flat=True)
            .first()
        )
        return before or 0

    def take(self, event: EventRow, tally: Tally) -> None:
        self._take_corrections(event.occurred_at)
        for name, side in self.sides.items():
            if side.move(event):
                tally.add(
                    name,
                    event.occurred_at,
                    self.cameras.get(event.camera_id, ""),
                    partial(_example, event, side.zone, side.count),
                )

    def _take_corrections(self, moment: datetime) -> None:
        while self.corrections and self.corrections[-1][0] <= moment:
            count = self.corrections.pop()[1]
            for side in self.sides.values():
                side.count = count


def _example(event: EventRow, zone: Any, count: int) -> dict:
    return {"event": event.pk, "kind": Kind.OCCUPANCY_FULL, "zone": str(zone), "count": count}
