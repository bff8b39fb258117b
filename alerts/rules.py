"""Zone rules (seed 7.5, 7.6): what a camera event in a zone raises, from the zone's settings.

- violation: a counted target entering a restricted, no-parking, emergency-exit or
  loading-bay zone (fielddetection / regionEntrance); any line crossing unless the
  zone's line is configured as not a violation;
- intrusion: a counted target entering an emergency-exit or staff-only zone, or an
  after-hours zone within its hours (facility time); a field detection with no region
  (the camera's whole field, as in the seed).
Which targets count (vehicle, human) is per zone, vehicle by default. Repeats in the
same zone within INTRUSION_COOLDOWN_SECONDS add to the open alert. Exclusion zones and
inactive zones raise nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING

from django.utils import timezone

from cameras.choices import EventType
from parking.models import Zone

from .choices import Kind, Severity, severity_rank
from .services import AlertSpec, raise_alerts
from .wording import each_language

if TYPE_CHECKING:
    from cameras.models import CameraEvent

ENTERING = {EventType.FIELD_DETECTION.lower(), EventType.REGION_ENTRANCE.lower()}
LINE = EventType.LINE_DETECTION.lower()
RULE_EVENT_TYPES = [EventType.FIELD_DETECTION, EventType.LINE_DETECTION, EventType.REGION_ENTRANCE]
VIOLATION_KINDS = {
    Zone.Kind.RESTRICTED,
    Zone.Kind.NO_PARKING,
    Zone.Kind.EMERGENCY_EXIT,
    Zone.Kind.LOADING_BAY,
}
INTRUSION_KINDS = {Zone.Kind.EMERGENCY_EXIT, Zone.Kind.STAFF_ONLY}
SEVERE_ZONES = {Zone.Kind.EMERGENCY_EXIT}


@dataclass(frozen=True)
class Rule:
    kind: str
    severity: str
    topic: str  # its wording (alerts.wording)
    also: tuple[str, ...] = ()


def apply_zone_rules(events: Sequence[CameraEvent]) -> None:
    """Dispatch handler for fielddetection, linedetection and regionEntrance, over a batch."""
    acting = [event for event in events if acts(event) and event.camera is not None]
    zones = Zone.for_regions([(event.camera, event.region_id) for event in acting])
    specs = []
    for event in acting:
        zone = zones.get((event.camera_id, event.region_id))
        rule = decide(event, zone)
        if rule is not None:
            specs.append(
                AlertSpec(
                    rule.kind,
                    title="",
                    severity=rule.severity,
                    camera=event.camera,
                    zone=zone,
                    plate=event.plate,
                    source_event=event,
                    at=event.occurred_at,
                    params=_params(event, zone, rule),
                    group_key=_group_key(rule, event, zone),
                )
            )
    raise_alerts(specs)


def acts(event: CameraEvent) -> bool:
    """Whether the zone rules look at this event at all: an active push from a known camera."""
    return event.event_state != "inactive" and event.camera_id is not None


def decide(event: CameraEvent, zone: Zone | None) -> Rule | None:
    """The alert one event raises in its zone, written nowhere: the handler raises it, the
    backtest (alerts.backtest) replays it with a draft zone."""
    if zone is not None and (not zone.is_active or zone.kind == Zone.Kind.EXCLUSION):
        return None
    return one_alert(rules_for(event, zone))


def one_alert(rules: list[Rule]) -> Rule | None:
    """One car, one alert: rules firing together become one alert at the highest severity
    (an intrusion when one of them is), naming every rule that fired."""
    if len(rules) <= 1:
        return rules[0] if rules else None
    top = max(rules, key=lambda rule: (severity_rank(rule.severity), rule.kind == Kind.INTRUSION))
    return Rule(top.kind, top.severity, top.topic, also=tuple(r.topic for r in rules if r is not top))


def rules_for(event: CameraEvent, zone: Zone | None) -> list[Rule]:
    if not counts(event, zone):
        return []
    event_type = event.event_type.lower()
    if event_type == LINE:
        return [_line_violation(zone)] if zone is None or zone.line_is_violation else []
    if event_type not in ENTERING:
        return []
    if zone is None:
        return [Rule(Kind.INTRUSION, Severity.HIGH, "intrusion_in_field")]
    rules = []
    if zone.kind in VIOLATION_KINDS:
        severity = Severity.HIGH if zone.kind in SEVERE_ZONES else Severity.MEDIUM
        rules.append(Rule(Kind.VIOLATION, severity, "vehicle_in_zone"))
    if zone.kind in INTRUSION_KINDS or _after_hours(zone, event.occurred_at):
        severity = Severity.CRITICAL if zone.kind in SEVERE_ZONES else Severity.HIGH
        rules.append(Rule(Kind.INTRUSION, severity, "intrusion_in_zone"))
    return rules


def counts(event: CameraEvent, zone: Zone | None) -> bool:
    """Whether the detected target is one this zone acts on (no target reported = vehicle)."""
    target = (event.detection_target or "vehicle").lower()
    return target in (zone.targets() if zone is not None else ["vehicle"])


def within_hours(moment_time: time, start: time | None, end: time | None) -> bool:
    """Whether a facility-local time is inside [start, end); windows may cross midnight."""
    if start is None or end is None:
        return True
    if start <= end:
        return start <= moment_time < end
    return moment_time >= start or moment_time < end


def _after_hours(zone: Zone, moment: datetime) -> bool:
    if zone.kind != Zone.Kind.AFTER_HOURS:
        return False
    return within_hours(timezone.localtime(moment).time(), zone.active_from, zone.active_until)


def _line_violation(zone: Zone | None) -> Rule:
    return Rule(Kind.VIOLATION, Severity.MEDIUM, "line_crossing")


def _group_key(rule: Rule, event: CameraEvent, zone: Zone | None) -> str:
    place = f"zone:{zone.pk}" if zone is not None else f"camera:{event.camera_id}"
    return f"{rule.kind}|{place}"


def _params(event: CameraEvent, zone: Zone | None, rule: Rule) -> dict:
    return {
        "topic": rule.topic,
        "also": list(rule.also),
        "event": event.event_type,
        "target": event.detection_target,
        "camera": event.camera.code,
        "zone": each_language(lambda: str(zone)) if zone is not None else None,
    }
