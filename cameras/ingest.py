"""Receive one camera push: identify, parse, store first, then dispatch.

``receive_push`` is what the webhook view, ``simulate_event`` and tests call. It never
raises for bad input: the event is stored with a status and a reason. A database that
refuses the write raises ``StoreFailed`` so the caller can answer 503 and the camera
retries.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import dispatch, push_auth
from .models import Camera, CameraEvent, EventPicture
from .parsing import ParsedEvent, PayloadError, parse_push

logger = logging.getLogger(__name__)
PREVIEW_BYTES = 1024
KEPT_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_USER_AGENT", "HTTP_HOST",
                "HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


class StoreFailed(Exception):
    """The event could not be written; nothing was acted on."""


@dataclass
class Push:
    body: bytes
    content_type: str
    source_ip: str | None
    method: str = "POST"
    authorization: str = ""
    headers: dict = field(default_factory=dict)
    received_at: datetime = field(default_factory=timezone.now)


@dataclass
class PushResult:
    status: str
    event_id: int | None = None
    event_type: str = ""
    reason: str = ""
    http_status: int = 200
    challenge: str = ""

    def as_json(self) -> dict:
        return {"status": self.status, "event_id": self.event_id,
                "event_type": self.event_type, "reason": self.reason}


def kept_headers(meta: dict) -> dict:
    return {key: str(meta[key])[:300] for key in KEPT_HEADERS if key in meta}


def receive_push(push: Push) -> PushResult:
    try:
        return _receive(push)
    except DatabaseError as exc:
        logger.error("event store failed from %s: %s", push.source_ip, type(exc).__name__)
        raise StoreFailed(str(exc)) from exc


def reject_oversized(push: Push, limit: int) -> PushResult:
    """Keep the headers and the first KiB of a body over the limit, as a rejected event."""
    reason = f"body larger than {limit} bytes"
    try:
        event = _store_rejected(push, reason, body=push.body[:PREVIEW_BYTES])
    except DatabaseError as exc:
        raise StoreFailed(str(exc)) from exc
    return PushResult("rejected", event.pk, "", reason, http_status=413)


def _receive(push: Push) -> PushResult:
    camera = Camera.objects.filter(ip_address=push.source_ip).first() if push.source_ip else None
    if camera and camera.push_password and not push_auth.verify(
            push.authorization, push.method, camera.push_username, camera.push_password):
        return PushResult("unauthorized", reason="push credentials required", http_status=401,
                          challenge=push_auth.challenge())
    try:
        parsed = parse_push(push.body, push.content_type, push.received_at)
    except PayloadError as exc:
        event = _store_rejected(push, str(exc), camera=camera)
        return PushResult("rejected", event.pk, "", str(exc))
    if parsed.is_heartbeat:
        _touch_heartbeat(camera, push.received_at)
        return PushResult("ignored", None, parsed.event_type, "heartbeat")
    if camera is None:
        camera = discover_camera(push.source_ip, parsed)
    return _store_and_dispatch(push, parsed, camera)


def _store_and_dispatch(push: Push, parsed: ParsedEvent, camera: Camera | None) -> PushResult:
    event = _new_event(push, parsed, camera)
    earlier = _seen_within_window(event)
    if earlier:
        return PushResult("duplicate", earlier, event.event_type, "same event already received")
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        return PushResult("duplicate", _original_id(event), event.event_type,
                          "same event already received")
    _save_pictures(event, parsed)
    _touch_seen(camera, push.received_at)
    if camera is None or not camera.is_acting:
        _finish(event, CameraEvent.Status.IGNORED, _not_acting_reason(camera))
        return PushResult("ignored", event.pk, event.event_type, event.reason)
    return process_event(event)


def _not_acting_reason(camera: Camera | None) -> str:
    if camera is None:
        return "sender address unknown"
    if camera.approval == Camera.Approval.DISCOVERED:
        return "unknown camera, awaiting approval"
    return "camera disabled"


def process_event(event: CameraEvent) -> PushResult:
    """Run the registered handlers; used at ingest and by reprocess_events."""
    errors = dispatch.run_handlers(event)
    if errors:
        reason = "; ".join(f"{name}: {error}" for name, error in errors.items())
        _finish(event, CameraEvent.Status.FAILED, reason)
        return PushResult("accepted", event.pk, event.event_type, "processing failed: " + reason)
    _finish(event, CameraEvent.Status.ACCEPTED, "")
    return PushResult("accepted", event.pk, event.event_type, "")


def _finish(event: CameraEvent, status: str, reason: str) -> None:
    event.status, event.reason = status, reason
    event.processed_at = timezone.now()
    CameraEvent.objects.filter(pk=event.pk).update(
        status=status, reason=reason, processed_at=event.processed_at,
        handled_by=event.handled_by, attempts=F("attempts") + 1)


def _new_event(push: Push, parsed: ParsedEvent, camera: Camera | None) -> CameraEvent:
    event = CameraEvent(
        received_at=push.received_at, source_ip=push.source_ip, camera=camera,
        content_type=push.content_type[:200], raw_body=parsed.event_text or push.body,
        body_size=len(push.body), headers=push.headers,
        **{name: getattr(parsed, name) for name in PARSED_FIELDS},
    )
    if parsed.picture_urls:
        event.extra = {**event.extra, "picture_urls": parsed.picture_urls}
    event.dedup_key = dedup_key(event)
    return event


PARSED_FIELDS = ("event_type", "event_state", "event_description", "channel_id", "channel_name",
                 "region_id", "detection_target", "trigger_time", "trigger_time_flagged",
                 "device_uuid", "device_serial", "device_mac", "plate", "original_plate",
                 "plate_confidence", "direction", "vehicle_type", "vehicle_color", "plate_list",
                 "extra")


def dedup_key(event: CameraEvent) -> str:
    sender = str(event.camera_id or event.source_ip)
    if event.device_uuid:
        parts = ["uuid", sender, event.device_uuid]
    elif event.trigger_time_flagged:
        parts = ["body", sender, hashlib.sha256(bytes(event.raw_body)).hexdigest()]
    else:
        parts = ["fields", sender, event.event_type.lower(), event.event_state,
                 str(event.channel_id), event.region_id, event.detection_target, event.plate,
                 event.trigger_time.astimezone(UTC).isoformat(timespec="seconds")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _seen_within_window(event: CameraEvent) -> int | None:
    """The id of an event with the same fields within the dedup window, if any."""
    window = settings.EVENT_DEDUP_WINDOW_SECONDS
    if window <= 0 or event.trigger_time_flagged or event.device_uuid or event.camera is None:
        return None
    near = timedelta(seconds=window)
    return CameraEvent.objects.filter(
        camera=event.camera, event_type=event.event_type, event_state=event.event_state,
        channel_id=event.channel_id, region_id=event.region_id,
        detection_target=event.detection_target, plate=event.plate,
        trigger_time__gt=event.trigger_time - near, trigger_time__lt=event.trigger_time + near,
    ).exclude(status=CameraEvent.Status.REJECTED).values_list("pk", flat=True).first()


def _original_id(event: CameraEvent) -> int | None:
    return CameraEvent.objects.filter(dedup_key=event.dedup_key).values_list("pk", flat=True).first()


def _store_rejected(push: Push, reason: str, camera: Camera | None = None,
                    body: bytes | None = None) -> CameraEvent:
    return CameraEvent.objects.create(
        received_at=push.received_at, source_ip=push.source_ip, camera=camera,
        content_type=push.content_type[:200], raw_body=push.body if body is None else body,
        body_size=len(push.body), headers=push.headers, status=CameraEvent.Status.REJECTED,
        reason=reason[:2000], processed_at=timezone.now())


def _save_pictures(event: CameraEvent, parsed: ParsedEvent) -> None:
    for index, picture in enumerate(parsed.pictures, start=1):
        extension = "png" if picture.data[:2] == b"\x89P" else "jpg"
        record = EventPicture(event=event, name=picture.name[:200], content_type=picture.content_type,
                              size=len(picture.data),
                              sha256=hashlib.sha256(picture.data).hexdigest())
        record.image.save(f"event-{event.pk}-{index}.{extension}", ContentFile(picture.data),
                          save=True)


def discover_camera(source_ip: str | None, parsed: ParsedEvent) -> Camera | None:
    """An unknown sender becomes a discovered, disabled camera that staff can approve."""
    if not source_ip:
        return None
    defaults = {"code": f"NEW-{source_ip}"[:50], "name": parsed.channel_name or "Discovered camera",
                "serial_number": parsed.device_serial, "mac_address": parsed.device_mac,
                "enabled": False, "approval": Camera.Approval.DISCOVERED}
    try:
        with transaction.atomic():
            camera, _ = Camera.objects.get_or_create(ip_address=source_ip, defaults=defaults)
    except IntegrityError:
        camera = Camera.objects.get(ip_address=source_ip)
    return camera


def _touch_seen(camera: Camera | None, moment: datetime) -> None:
    if camera is None:
        return
    # Skip the write when another push already refreshed it this second.
    Camera.objects.filter(pk=camera.pk).exclude(last_seen_at__gte=moment - timedelta(seconds=1)) \
        .update(last_seen_at=moment, last_event_at=moment)


def _touch_heartbeat(camera: Camera | None, moment: datetime) -> None:
    if camera is None:
        return
    Camera.objects.filter(pk=camera.pk).update(
        last_seen_at=moment, last_heartbeat_at=moment, heartbeat_count=F("heartbeat_count") + 1)
