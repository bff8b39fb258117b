"""The JSON shapes that exporters and stream clients receive."""
from __future__ import annotations

from django.db import models

from cameras.models import CameraEvent

EVENT_FIELDS = ("event_type", "event_state", "channel_id", "region_id", "detection_target",
                "direction", "status")


def camera_code(obj) -> str:
    camera = getattr(obj, "camera", None)
    return camera.code if camera is not None else ""


def pictures(event: CameraEvent) -> list[dict]:
    return [{"name": p.name, "url": p.image.url, "content_type": p.content_type, "size": p.size,
             "sha256": p.sha256} for p in event.pictures.all()]


def plate_read(event: CameraEvent) -> dict:
    extra = event.extra or {}
    return {
        "id": event.pk, "camera": camera_code(event), "camera_id": event.camera_id,
        "event_type": event.event_type, "plate": event.plate,
        "original_plate": event.original_plate, "confidence": event.plate_confidence,
        "direction": event.direction, "vehicle_type": event.vehicle_type,
        "vehicle_color": event.vehicle_color, "vehicle_make": extra.get("vehicle_make", ""),
        "ocr_candidates": extra.get("ocr_candidates", []), "tpms": extra.get("tpms"),
        "source": extra.get("source", "camera"), "occurred_at": event.occurred_at,
        "received_at": event.received_at, "pictures": pictures(event),
    }


def camera_event(event: CameraEvent) -> dict:
    return {"id": event.pk, "camera": camera_code(event), "camera_id": event.camera_id,
            "occurred_at": event.occurred_at, "received_at": event.received_at,
            **{name: getattr(event, name) for name in EVENT_FIELDS}}


def alert(obj) -> dict:
    return {"id": obj.pk, "kind": obj.kind, "severity": obj.severity, "status": obj.status,
            "title": obj.title, "description": obj.description, "camera": camera_code(obj),
            "zone": obj.zone.code if obj.zone_id else "", "plate": obj.plate,
            "source_event": obj.source_event_id, "occurrences": obj.occurrences,
            "first_seen_at": obj.first_seen_at, "last_seen_at": obj.last_seen_at}


def model_fields(obj: models.Model) -> dict:
    """Concrete fields of a row (foreign keys as ids): for the ANPR passages and visits."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.url if value else ""
        data[field.attname if field.is_relation else field.name] = value
    data["id"] = obj.pk
    return data
