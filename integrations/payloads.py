"""The JSON shapes that exporters and stream clients receive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cameras.models import CameraEvent

if TYPE_CHECKING:
    from alerts.models import Alert
    from anpr.models import GatePassage, Visit
    from cameras.models import CameraEvent

EVENT_FIELDS = (
    "event_type",
    "event_state",
    "channel_id",
    "region_id",
    "detection_target",
    "direction",
    "status",
)


def camera_code(obj: Alert | GatePassage | Visit | CameraEvent) -> str:
    camera = getattr(obj, "camera", None)
    return camera.code if camera is not None else ""


def pictures(event: CameraEvent) -> list[dict]:
    return [
        {
            "name": p.name,
            "url": p.image.url,
            "content_type": p.content_type,
            "size": p.size,
            "sha256": p.sha256,
        }
        for p in event.pictures.all()
    ]


def plate_read(event: CameraEvent) -> dict:
    extra = event.extra or {}
    return {
        "id": event.pk,
        "camera": camera_code(event),
        "camera_id": event.camera_id,
        "event_type": event.event_type,
        "plate": event.plate,
        "original_plate": event.original_plate,
        "confidence": event.plate_confidence,
        "direction": event.direction,
        "vehicle_type": event.vehicle_type,
        "vehicle_color": event.vehicle_color,
        "vehicle_make": extra.get("vehicle_make", ""),
        "ocr_candidates": extra.get("ocr_candidates", []),
        "tpms": extra.get("tpms"),
        "source": extra.get("source", "camera"),
        "occurred_at": event.occurred_at,
        "received_at": event.received_at,
        "pictures": pictures(event),
    }


def camera_event(event: CameraEvent) -> dict:
    return {
        "id": event.pk,
        "camera": camera_code(event),
        "camera_id": event.camera_id,
        "occurred_at": event.occurred_at,
        "received_at": event.received_at,
        **{name: getattr(event, name) for name in EVENT_FIELDS},
    }


def alert(obj: Alert) -> dict:
    return {
        "id": obj.pk,
        "kind": obj.kind,
        "severity": obj.severity,
        "status": obj.status,
        "title": obj.title,
        "description": obj.description,
        "camera": camera_code(obj),
        "zone": obj.zone.code if obj.zone_id else "",
        "plate": obj.plate,
        "source_event": obj.source_event_id,
        "occurrences": obj.occurrences,
        "first_seen_at": obj.first_seen_at,
        "last_seen_at": obj.last_seen_at,
    }


def passage(obj: GatePassage) -> dict:
    return {
        "id": obj.pk,
        "gate": obj.gate,
        "camera": camera_code(obj),
        "camera_id": obj.camera_id,
        "event_id": obj.event_id,
        "plate": obj.plate,
        "plate_display": obj.plate_display,
        "plate_arabic": obj.plate_arabic,
        "raw_plate": obj.raw_plate,
        "confidence": obj.confidence,
        "vehicle_id": obj.vehicle_id,
        "match": obj.match,
        "category": obj.category,
        "occurred_at": obj.occurred_at,
    }


def visit(obj: Visit) -> dict:
    return {
        "id": obj.pk,
        "plate": obj.plate,
        "plate_display": obj.plate_display,
        "status": obj.status,
        "category": obj.category,
        "vehicle_id": obj.vehicle_id,
        "entered_at": obj.entered_at,
        "exited_at": obj.exited_at,
        "duration_seconds": obj.duration_seconds,
        "entry_passage_id": obj.entry_id,
        "exit_passage_id": obj.exit_id,
        "exit_match": obj.exit_match,
    }
