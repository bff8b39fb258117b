"""Receive one camera push: identify, parse, store first, then dispatch.

``receive_push`` is what the webhook view, ``simulate_event`` and tests call. It never
raises for bad input: the event is stored with a status and a reason. A database that
refuses the write raises ``StoreFailed`` so the caller can answer 503 and the camera
retries. Storing the event, the camera's last-seen time and every handler's work happen
in one transaction: a push is either kept whole (handlers in their own savepoints) or
not at all.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import dispatch, event_rows, pictures, processing, push_auth, senders, wakeups
from .models import Camera, CameraEvent
from .parsing import ParsedEvent, PayloadError, parse_push
from .parsing.tree import storable_text

logger = logging.getLogger(__name__)
PREVIEW_BYTES = 1024
# Never Authorization or Cookie: stored headers are shown to staff.
KEPT_HEADERS = (
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "HTTP_USER_AGENT",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_FOR",
    "REMOTE_ADDR",
)
SEEN_REFRESH = timedelta(seconds=1)
FLAGGED_DEDUP_BUCKET_SECONDS = 60
MAX_BODY_SIZE_FIELD = 2**31 - 1


class StoreFailed(Exception):
    """The event could not be written; nothing was acted on."""


class _Duplicate(Exception):
    """The dedup key is already stored."""


@dataclass
class Push:
    body: bytes
    content_type: str
    source_ip: str | None
    method: str = "POST"
    authorization: str = ""
    headers: dict = field(default_factory=dict)
    # A lambda, so tests that patch timezone.now control the receive time.
    received_at: datetime = field(default_factory=lambda: timezone.now())
    declared_size: int = 0

    @property
    def size(self) -> int:
        return min(max(len(self.body), self.declared_size), MAX_BODY_SIZE_FIELD)


@dataclass
class PushResult:
    status: str
    event_id: int | None = None
    event_type: str = ""
    reason: str = ""
    http_status: int = 200
    challenge: str = ""

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "reason": self.reason,
        }


def kept_headers(meta: dict) -> dict:
    return {key: storable_text(str(meta[key])[:300]) for key in KEPT_HEADERS if key in meta}


def receive_push(push: Push) -> PushResult:
    try:
        return _receive(push)
    except DatabaseError as exc:
        logger.error("event store failed from %s: %s", push.source_ip, type(exc).__name__)
        raise StoreFailed(type(exc).__name__) from exc


def reject_oversized(push: Push, limit: int) -> PushResult:
    """Keep the headers and the first KiB of a body over the limit, as a rejected event."""
    reason = f"body larger than {limit} bytes"
    try:
        camera, unreadable = _sender(push.source_ip)
        denied = _check_credentials(camera, unreadable, push)
        if denied:
            return denied
        event = _store_rejected(push, reason, camera, body=push.body[:PREVIEW_BYTES])
    except DatabaseError as exc:
        logger.error("event store failed from %s: %s", push.source_ip, type(exc).__name__)
        raise StoreFailed(type(exc).__name__) from exc
    logger.warning("push from %s rejected: %s", push.source_ip, reason)
    return PushResult("rejected", event.pk, "", reason, http_status=413)


def _receive(push: Push) -> PushResult:
    camera, unreadable = _sender(push.source_ip)
    denied = _check_credentials(camera, unreadable, push)
    if denied:
        return denied
    try:
        parsed = parse_push(push.body, push.content_type, push.received_at)
    except PayloadError as exc:
        event = _store_rejected(push, str(exc), camera)
        logger.warning("push from %s rejected: %.200s", push.source_ip, exc)
        return PushResult("rejected", event.pk, "", str(exc))
    if parsed.is_heartbeat:
        _touch_heartbeat(camera, push.received_at)
        return PushResult("ignored", None, parsed.event_type, "heartbeat")
    return _store_and_dispatch(push, parsed, camera)


def _sender(source_ip: str | None) -> tuple[Camera | None, bool]:
    """The camera at this address, and whether its push credentials could not be decrypted."""
    return senders.lookup(source_ip) if source_ip else (None, False)


def _check_credentials(camera: Camera | None, unreadable: bool, push: Push) -> PushResult | None:
    if camera is None:
        return None
    if unreadable:
        logger.error("push credentials of camera %s cannot be decrypted", camera.code)
    elif not camera.push_password or push_auth.verify(
        push.authorization, push.method, camera.push_username, camera.push_password
    ):
        return None
    else:
        logger.warning("push from %s refused: push credentials missing or wrong", push.source_ip)
    return PushResult(
        "unauthorized", reason="push credentials required", http_status=401, challenge=push_auth.challenge()
    )


def _store_and_dispatch(push: Push, parsed: ParsedEvent, camera: Camera | None) -> PushResult:
    records = _kept_pictures(parsed, camera)
    try:
        if camera is not None:
            return store_event(new_event(push, parsed, camera), records)
        with transaction.atomic():  # a discovered camera is kept only with its first event
            camera = discover_camera(push.source_ip, parsed)
            return store_event(new_event(push, parsed, camera), records)
    except BaseException:
        event_rows.delete_picture_files(records)
        raise


def _kept_pictures(parsed: ParsedEvent, camera: Camera | None) -> list:
    """The pushed pictures' files, written. None for a sender nobody approved (anyone on
    the LAN could fill the disk) or a disk that refuses them: the event is still stored,
    with each picture's size and hash and the reason in ``extra["pictures_dropped"]``."""
    if not parsed.pictures:
        return []
    if camera is None or camera.approval == Camera.Approval.DISCOVERED:
        return _drop_pictures(parsed, "sender not approved")
    try:
        return event_rows.write_picture_files(parsed.pictures)
    except OSError as exc:
        logger.error("pictures of a push from %s not stored: %s", camera.code, exc)
        return _drop_pictures(parsed, f"not stored: {exc.strerror or type(exc).__name__}")


def _drop_pictures(parsed: ParsedEvent, reason: str) -> list:
    parsed.extra["pictures_dropped"] = {
        "reason": reason,
        "pictures": [event_rows.picture_summary(p) for p in parsed.pictures],
    }
    return []


def store_event(event: CameraEvent, records: list | tuple = ()) -> PushResult:
    """Store one event with its pictures' rows and act on it: how every event is written.

    Camera pushes and edge-sensor reads both end here. A re-sent event (same dedup key)
    writes nothing and is answered ``duplicate``. Inline, the handlers run in the same
    transaction; queued, the event is stored with its partition and the processor woken
    once it commits. When the row is all there is to write, one autocommitted statement
    does it (no BEGIN/COMMIT round trips on the webhook's hot path).
    """
    event.dedup_key = event.dedup_key or dedup_key(event)
    event.partition = processing.partition_of(event)
    _settle_without_handlers(event, event.camera)
    try:
        with nullcontext() if _nothing_else_to_write(event) else transaction.atomic():
            if not event_rows.insert_event(event, records):
                raise _Duplicate(event.dedup_key)
            result = _act(event)
    except _Duplicate:
        event_rows.delete_picture_files(records)
        return _answer_duplicate(event.dedup_key, event.event_type)
    if event.status == CameraEvent.Status.QUEUED:
        partition = event.partition
        transaction.on_commit(lambda: wakeups.wake(partition))
    return result


def _act(event: CameraEvent) -> PushResult:
    if pictures.wants_fetch(event):
        pictures.queue_fetch(event)
    _touch_seen(event.camera, event.received_at)
    if event.status != CameraEvent.Status.QUEUED and event.processed_at is None:
        return _run_handlers(event)
    return PushResult(_answer_status(event), event.pk, event.event_type, event.reason)


def _nothing_else_to_write(event: CameraEvent) -> bool:
    """The event row (and its pictures) is all this push writes: no handlers to run now,
    no last-seen refresh due, no pictures to fetch."""
    return (
        (event.status == CameraEvent.Status.QUEUED or event.processed_at is not None)
        and not _seen_due(event.camera, event.received_at)
        and not pictures.wants_fetch(event)
    )


def _answer_status(event: CameraEvent) -> str:
    return "ignored" if event.status == CameraEvent.Status.IGNORED else "accepted"


def _answer_duplicate(key: str, event_type: str) -> PushResult:
    original = CameraEvent.objects.filter(dedup_key=key).values_list("pk", flat=True).first()
    if original is None:
        # Not our dedup key after all: let the camera retry.
        raise StoreFailed("IntegrityError")
    return PushResult("duplicate", original, event_type, "same event already received")


def _not_acting_reason(camera: Camera | None) -> str:
    if camera is None:
        return "sender address unknown"
    if camera.approval == Camera.Approval.DISCOVERED:
        return "unknown camera, awaiting approval"
    return "camera disabled"


def _run_handlers(event: CameraEvent) -> PushResult:
    if processing.handle_one(event):
        # The details stay in the stored event; the camera only learns it was kept.
        return PushResult(
            "accepted",
            event.pk,
            event.event_type,
            "stored; processing failed and will be retried by reprocess_events",
        )
    return PushResult("accepted", event.pk, event.event_type, "")


def process_event(event: CameraEvent) -> PushResult:
    """Run the handlers not yet done on a stored event (reprocess_events)."""
    with transaction.atomic():
        return _run_handlers(event)


PARSED_FIELDS = (
    "event_type",
    "event_state",
    "event_description",
    "channel_id",
    "channel_name",
    "region_id",
    "detection_target",
    "trigger_time",
    "trigger_time_flagged",
    "device_uuid",
    "device_serial",
    "device_mac",
    "plate",
    "original_plate",
    "plate_confidence",
    "direction",
    "vehicle_type",
    "vehicle_color",
    "plate_list",
    "extra",
)


def new_event(push: Push, parsed: ParsedEvent, camera: Camera | None) -> CameraEvent:
    event = CameraEvent(
        received_at=push.received_at,
        source_ip=push.source_ip,
        camera=camera,
        content_type=storable_text(push.content_type[:200]),
        raw_body=parsed.event_text or push.body,
        body_size=push.size,
        headers=push.headers,
        **{name: getattr(parsed, name) for name in PARSED_FIELDS},
    )
    if parsed.picture_urls:
        event.extra = {**event.extra, "picture_urls": parsed.picture_urls}
    return event


def _settle_without_handlers(event: CameraEvent, camera: Camera | None) -> None:
    """Give the final status at insert time when no handler will run (saves an UPDATE)."""
    if camera is None or not camera.is_acting:
        event.status, event.reason = CameraEvent.Status.IGNORED, _not_acting_reason(camera)
    elif dispatch.handlers_for(event.event_type):
        if processing.queued_mode():
            event.status = CameraEvent.Status.QUEUED
        return
    event.processed_at = timezone.now()
    event.attempts = 1


def dedup_key(event: CameraEvent) -> str:
    """A re-send is the same device UUID, or the same body from the same sender.

    Two cars entering in the same second differ in their bodies (activePostCount, the
    target's rectangle) and are two events. Without a usable camera time, the same body
    is a re-send only within the same minute: the body may not change between events.
    """
    sender = str(event.camera_id or event.source_ip)
    if event.device_uuid:
        parts = ["uuid", sender, event.device_uuid]
    else:
        parts = ["body", sender, hashlib.sha256(bytes(event.raw_body)).hexdigest()]
        if event.trigger_time_flagged:
            parts.append(str(int(event.received_at.timestamp()) // FLAGGED_DEDUP_BUCKET_SECONDS))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _store_rejected(
    push: Push, reason: str, camera: Camera | None = None, body: bytes | None = None
) -> CameraEvent:
    return CameraEvent.objects.create(
        received_at=push.received_at,
        source_ip=push.source_ip,
        camera=camera,
        content_type=storable_text(push.content_type[:200]),
        raw_body=push.body if body is None else body,
        body_size=push.size,
        headers=push.headers,
        status=CameraEvent.Status.REJECTED,
        reason=storable_text(reason[:2000]),
        processed_at=timezone.now(),
        attempts=1,
    )


def discover_camera(source_ip: str | None, parsed: ParsedEvent) -> Camera | None:
    """An unknown sender becomes a discovered, disabled camera that staff can approve."""
    if not source_ip:
        return None
    defaults = {
        "code": f"NEW-{source_ip}"[:50],
        "name": parsed.channel_name or "Discovered camera",
        "serial_number": parsed.device_serial,
        "mac_address": parsed.device_mac,
        "enabled": False,
        "approval": Camera.Approval.DISCOVERED,
    }
    try:
        with transaction.atomic():
            camera, _ = Camera.objects.get_or_create(ip_address=source_ip, defaults=defaults)
    except IntegrityError:
        camera = Camera.objects.get(ip_address=source_ip)
    return camera


def _seen_due(camera: Camera | None, moment: datetime) -> bool:
    # Under load a camera pushes many times a second: one write per second is enough.
    if camera is None:
        return False
    last = camera.last_seen_at
    return last is None or not timedelta(0) <= moment - last < SEEN_REFRESH


def _touch_seen(camera: Camera | None, moment: datetime) -> None:
    if not _seen_due(camera, moment):
        return
    Camera.objects.filter(pk=camera.pk).update(last_seen_at=moment, last_event_at=moment)
    camera.last_seen_at = camera.last_event_at = moment


def _touch_heartbeat(camera: Camera | None, moment: datetime) -> None:
    if camera is None:
        return
    Camera.objects.filter(pk=camera.pk).update(
        last_seen_at=moment, last_heartbeat_at=moment, heartbeat_count=F("heartbeat_count") + 1
    )
