"""Pictures a camera sends by URL (detectionPictureTransType=url, bkgUrl, pictureURL).

Fetched only for cameras with ``fetch_pictures_by_url`` on, only from the camera's own
address (and inside ISAPI_ALLOWED_NETWORKS), through the one ISAPI client, in a Celery
task after the push is stored — never in the webhook's request.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.db import transaction

from damanat.celery import task_named
from damanat.outbox.queueing import enqueue

from . import event_rows
from .isapi import errors
from .isapi.client import BaseClient
from .models import CameraEvent
from .parsing.events import Picture

if TYPE_CHECKING:
    from cameras.models import Camera

logger = logging.getLogger(__name__)
MAX_PICTURE_BYTES = 5 * 1024 * 1024
PICTURE_MAGIC = (b"\xff\xd8", b"\x89P")


def wants_fetch(event: CameraEvent) -> bool:
    camera = event.camera
    return bool(camera and camera.fetch_pictures_by_url and event.extra.get("picture_urls"))


def queue_fetch(event: CameraEvent) -> None:
    fetch_event_pictures = task_named("cameras.fetch_event_pictures")

    # Broker down: pictures are optional evidence, the event is kept without them.
    transaction.on_commit(partial(enqueue, fetch_event_pictures, event.pk))


def _same_device(url: str, camera: Camera) -> bool:
    return urlsplit(url).hostname == camera.ip_address


def fetch_pictures(event: CameraEvent) -> int:
    """Download the event's picture URLs from its camera; return how many were stored."""
    camera = event.camera
    stored = 0
    with BaseClient.for_camera(camera) as client:
        for index, url in enumerate(event.extra.get("picture_urls", []), start=1):
            if not _same_device(url, camera):
                logger.warning("event %s: picture URL not on camera %s, skipped", event.pk, camera.code)
                continue
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            try:
                data = client.request("GET", path).content[: MAX_PICTURE_BYTES + 1]
            except errors.ISAPIError as exc:
                logger.warning("event %s: picture fetch failed: %s", event.pk, exc)
                continue
            if len(data) > MAX_PICTURE_BYTES or not data.startswith(PICTURE_MAGIC):
                continue
            _store(event, index, data)
            stored += 1
    return stored


def _store(event: CameraEvent, index: int, data: bytes) -> None:
    content_type = "image/png" if data.startswith(b"\x89P") else "image/jpeg"
    event_rows.add_pictures(event, [Picture(f"url-{index}", content_type, data)])
