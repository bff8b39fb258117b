"""Event kinds as cameras name them, compared case-insensitively."""

from __future__ import annotations


class EventType:
    FIELD_DETECTION = "fielddetection"
    LINE_DETECTION = "linedetection"
    REGION_ENTRANCE = "regionEntrance"
    REGION_EXITING = "regionExiting"
    VMD = "VMD"
    ANPR = "ANPR"
    ACCESS_CONTROLLER = "AccessControllerEvent"
    VIDEO_LOSS = "videoloss"
    HEARTBEAT = "heartbeat"

    KNOWN = (
        FIELD_DETECTION,
        LINE_DETECTION,
        REGION_ENTRANCE,
        REGION_EXITING,
        VMD,
        ANPR,
        ACCESS_CONTROLLER,
        VIDEO_LOSS,
        HEARTBEAT,
    )
    PLATE_READS = (ANPR, ACCESS_CONTROLLER)


_CANONICAL = {name.lower(): name for name in EventType.KNOWN}


def canonical_event_type(raw: str | None) -> str:
    """The known spelling of an event type (``REGIONENTRANCE`` → ``regionEntrance``)."""
    text = (raw or "").strip()
    return _CANONICAL.get(text.lower(), text)
