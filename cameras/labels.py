"""What staff read for the words cameras send: event types, states and detection targets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import EventType, canonical_event_type

EVENT_TYPES = {
    EventType.FIELD_DETECTION: _("Intrusion detection"),
    EventType.LINE_DETECTION: _("Line crossing"),
    EventType.REGION_ENTRANCE: _("Region entrance"),
    EventType.REGION_EXITING: _("Region exit"),
    EventType.VMD: _("Motion detection"),
    EventType.ANPR: _("Plate recognition"),
    EventType.ACCESS_CONTROLLER: _("Plate at the gate controller"),
    EventType.VIDEO_LOSS: _("Video loss"),
    EventType.HEARTBEAT: _("Heartbeat"),
}
STATES = {"active": _("active"), "inactive": _("ended")}
TARGETS = {"human": _("person"), "vehicle": _("vehicle"), "others": _("other object")}


def event_type_label(value: str) -> str:
    return str(EVENT_TYPES.get(canonical_event_type(value), value))


def state_label(value: str) -> str:
    return str(STATES.get((value or "").lower(), value))


def target_label(value: str) -> str:
    return str(TARGETS.get((value or "").lower(), value))
