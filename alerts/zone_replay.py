"""Backtest of the zone rules (violation, intrusion): a zone's kind, targets, hours or line
setting, and the cooldown, replayed through ``rules.decide`` over stored camera events."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cameras.models import Camera, CameraEvent
from parking.models import Zone

from .backtest import CURRENT, DRAFT, Cooldown, Replay, Tally, draft_zone, in_id_range
from .choices import Kind
from .rules import RULE_EVENT_TYPES, acts, decide

if TYPE_CHECKING:
    from .models import BacktestRun

FIELDS = ("id", "camera_id", "region_id", "event_type", "event_state", "detection_target", "occurred")


class EventRow:
    """What the rules read of a stored event, without loading the model."""

    __slots__ = (
        "pk",
        "camera_id",
        "region_id",
        "event_type",
        "event_state",
        "detection_target",
        "occurred_at",
    )

    def __init__(
        self,
        pk: int,
        camera_id: int | None,
        region_id: str,
        event_type: str,
        event_state: str,
        target: str,
        occurred: datetime,
    ) -> None:
        self.pk, self.camera_id, self.region_id = pk, camera_id, region_id
        self.event_type, self.event_state, self.detection_target = event_type, event_state, target
        self.occurred_at = occurred


def accepted_events(since: datetime, until: datetime, event_types: Any) -> Any:
    """The events of these types the processor accepted in the period, with ``occurred``
    (CameraEvent.occurred_at, computed in the query: one timestamp to read per row)."""
    return CameraEvent.objects.filter(
        event_type__in=event_types,
        status=CameraEvent.Status.ACCEPTED,
        received_at__gte=since,
        received_at__lt=until,
    ).annotate(occurred=Coalesce("trigger_time", "received_at"))


class EventReplay(Replay):
    """A replay over stored camera events: each event the rules act on, in arrival order."""

    fields = FIELDS

    def __init__(self, run: BacktestRun, since: datetime, until: datetime) -> None:
        super().__init__(run, since, until)
        self.cameras = dict(Camera.objects.values_list("id", "code"))

    def apply(self, chunk: list, tally: Tally) -> None:
        for row in chunk:
            event = EventRow(*row)
            if acts(event):
                self.take(event, tally)

    @abstractmethod
    def take(self, event: EventRow, tally: Tally) -> None:
        """What each side makes of one event."""


class ZoneRulesReplay(EventReplay):
    rule = "zone"
    label = _("Zone rules (violation, intrusion)")
    kinds = (Kind.VIOLATION, Kind.INTRUSION)

    def __init__(self, run: BacktestRun, since: datetime, until: datetime) -> None:
        super().__init__(run, since, until)
        events = accepted_events(since, until, RULE_EVENT_TYPES)
        if run.zone is not None:
            events = events.filter(camera_id=run.zone.camera_id, region_id=run.zone.code)
        self.rows = in_id_range(events)
        self.zones = {(zone.camera_id, zone.code): zone for zone in Zone.objects.order_by()}
        self.drafts = dict(self.zones)
        if run.zone is not None:
            self.drafts[(run.zone.camera_id, run.zone.code)] = draft_zone(run.zone, self.changes)
        now = settings.INTRUSION_COOLDOWN_SECONDS
        draft = self.changes.get("cooldown_seconds")
        self.cooldowns = {CURRENT: Cooldown(now), DRAFT: Cooldown(now if draft is None else draft)}

    def take(self, event: EventRow, tally: Tally) -> None:
        place = (event.camera_id, event.region_id)
        zone, draft = self._zone(self.zones, place), self._zone(self.drafts, place)
        rule = decide(event, zone)
        self._count(CURRENT, event, zone, rule, tally)
        self._count(DRAFT, event, draft, rule if draft is zone else decide(event, draft), tally)

    def _count(self, side: str, event: EventRow, zone: Zone | None, rule: Any, tally: Tally) -> None:
        if rule is None:
            return
        # The key of rules._group_key: (camera, region) names the zone as its pk does.
        key = (rule.kind, event.camera_id, event.region_id if zone is not None else None)
        if self.cooldowns[side].opens(key, event.occurred_at):
            tally.add(
                side,
                event.occurred_at,
                self.cameras.get(event.camera_id, ""),
                partial(_example, event, rule, zone),
            )

    @staticmethod
    def _zone(zones: dict, place: tuple) -> Zone | None:
        """The zone of (camera, region); an unknown region acts as the unconfigured zone the
        handler would create for it (without creating it)."""
        if not place[1]:
            return None
        if place not in zones:
            zones[place] = Zone(camera_id=place[0], code=place[1], name=place[1], configured=False)
        return zones[place]


def _example(event: EventRow, rule: Any, zone: Zone | None) -> dict:
    return {
        "event": event.pk,
        "kind": rule.kind,
        "severity": rule.severity,
        "zone": str(zone) if zone is not None else "",
    }
