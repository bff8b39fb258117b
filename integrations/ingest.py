"""Plate reads from edge sensors: stored as ANPR camera events, then the same handlers run.

An edge box is not a Hikvision camera, but once its read is a ``CameraEvent`` of type
ANPR, passages, visits, alerts, the stream and exporters treat it exactly like a push.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import DatabaseError
from django.utils import timezone

from cameras import event_rows
from cameras.choices import EventType
from cameras.ingest import PushResult, StoreFailed, store_event
from cameras.models import Camera, CameraEvent
from cameras.parsing.events import NO_PLATE
from cameras.parsing.times import parse_camera_time


@dataclass
class Picture:
    name: str
    data: bytes
    content_type: str
    extension: str


@dataclass
class PlateRead:
    camera: Camera
    plate: str
    confidence: float | None = None
    timestamp: str = ""
    ocr_candidates: list = field(default_factory=list)
    vehicle_type: str = ""
    vehicle_color: str = ""
    vehicle_make: str = ""
    direction: str = ""
    tpms: dict | list | None = None
    sensor_event_id: str = ""
    sensor: str = ""
    pictures: list[Picture] = field(default_factory=list)
    source_ip: str | None = None
    received_at: datetime = field(default_factory=timezone.now)


def ingest_plate_read(read: PlateRead) -> PushResult:
    """Store, dedup and process one edge read; raises StoreFailed when nothing could be stored."""
    try:
        return _ingest(read)
    except DatabaseError as exc:
        raise StoreFailed(str(exc)) from exc


def _ingest(read: PlateRead) -> PushResult:
    records = event_rows.write_picture_files(read.pictures)
    try:
        return store_event(build_event(read), records)
    except BaseException:
        event_rows.delete_picture_files(records)
        raise


def build_event(read: PlateRead) -> CameraEvent:
    moment, flagged = parse_camera_time(read.timestamp, read.received_at)
    plate = read.plate.strip()
    document = event_document(read)
    event = CameraEvent(
        received_at=read.received_at,
        source_ip=read.source_ip,
        camera=read.camera,
        content_type="application/json",
        raw_body=document,
        body_size=len(document),
        event_type=EventType.ANPR,
        event_state=CameraEvent.State.ACTIVE,
        event_description="Edge sensor plate read",
        channel_id=read.camera.channel,
        trigger_time=moment,
        trigger_time_flagged=flagged,
        device_uuid=read.sensor_event_id[:100],
        plate="" if plate.lower().replace(" ", "") in NO_PLATE else plate[:32],
        original_plate=plate[:64],
        plate_confidence=read.confidence,
        direction=read.direction[:20],
        vehicle_type=read.vehicle_type[:30],
        vehicle_color=read.vehicle_color[:30],
        extra=event_extra(read),
    )
    return event


def event_extra(read: PlateRead) -> dict:
    return {
        "source": "edge",
        "sensor": read.sensor,
        "ocr_candidates": read.ocr_candidates,
        "vehicle_make": read.vehicle_make,
        "tpms": read.tpms,
    }


def event_document(read: PlateRead) -> bytes:
    """The read as received (without pictures), kept as the event's raw body."""
    fields = {
        "camera": read.camera.code,
        "plate": read.plate,
        "confidence": read.confidence,
        "timestamp": read.timestamp,
        "direction": read.direction,
        "vehicle_type": read.vehicle_type,
        "vehicle_color": read.vehicle_color,
        "event_id": read.sensor_event_id,
        **event_extra(read),
    }
    return json.dumps(fields, ensure_ascii=False, default=str).encode()
