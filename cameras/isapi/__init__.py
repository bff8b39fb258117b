"""Hikvision ISAPI client: the one way the backend talks to a camera.

    from cameras.isapi import ISAPIClient, errors

    with ISAPIClient.for_camera(camera) as device:      # or ISAPIClient(host, port=..., ...)
        info = device.device_info()
        device.set_http_host(HttpHost(id=1, url=..., ip_address=..., port=8080))
        device.link_trigger("fielddetection")
        clips = device.search_recordings(start, end, channel=1)
        device.download_recording(clips[0], open("clip.mp4", "wb"))

Every failure is an ``errors.ISAPIError``; ``err.status_label`` is a short machine
word (timeout, refused, auth_failed, not_supported, bad_content, device_error, ...).
"""

from __future__ import annotations

from . import errors
from .access import AccessControlMixin, PlateUser
from .client import BaseClient, ResponseStatus
from .events import EventsMixin, EventTrigger, HttpHost, TriggerNotification, trigger_id
from .recordings import Recording, RecordingsMixin
from .system import DeviceInfo, SystemMixin
from .traffic import ALLOW, BLOCK, PlateEntry, TrafficMixin


class ISAPIClient(SystemMixin, EventsMixin, TrafficMixin, AccessControlMixin, RecordingsMixin, BaseClient):
    """Everything the backend asks of a device; see the mixins for each area."""


__all__ = [
    "ALLOW",
    "BLOCK",
    "DeviceInfo",
    "EventTrigger",
    "HttpHost",
    "ISAPIClient",
    "PlateEntry",
    "PlateUser",
    "Recording",
    "ResponseStatus",
    "TriggerNotification",
    "errors",
    "trigger_id",
]
