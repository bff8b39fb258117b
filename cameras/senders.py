"""Which camera sent a push, remembered for a few seconds per process.

Under a burst every push would otherwise re-read the same camera row. A camera saved
in this process is forgotten at once (post_save); changes made elsewhere are seen
within CAMERA_LOOKUP_CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from .models import Camera

_lock = threading.Lock()
_cache: dict[str, tuple[float, Camera, bool]] = {}


def lookup(source_ip: str) -> tuple[Camera | None, bool]:
    """(camera at this address, whether its push credentials could not be decrypted)."""
    ttl = settings.CAMERA_LOOKUP_CACHE_SECONDS
    hit = _cache.get(source_ip) if ttl > 0 else None
    if hit is not None and hit[0] > time.monotonic():
        return hit[1], hit[2]
    camera, unreadable = _read(source_ip)
    if camera is not None and ttl > 0:
        with _lock:
            _cache[source_ip] = (time.monotonic() + ttl, camera, unreadable)
    return camera, unreadable


def _read(source_ip: str) -> tuple[Camera | None, bool]:
    cameras = Camera.objects.defer("password").filter(ip_address=source_ip).order_by()
    try:
        return cameras.first(), False
    except ValueError:
        # FIELD_ENCRYPTION_KEY changed: the stored push password is unreadable.
        return cameras.defer("push_password").first(), True


def forget(sender: object = None, instance: Camera | None = None, **kwargs: Any) -> None:
    with _lock:
        if instance is None:
            _cache.clear()
        else:
            for ip in [ip for ip, (_, cam, _) in _cache.items() if cam.pk == instance.pk]:
                _cache.pop(ip, None)


post_save.connect(forget, sender=Camera, dispatch_uid="cameras_sender_cache_save")
post_delete.connect(forget, sender=Camera, dispatch_uid="cameras_sender_cache_delete")
