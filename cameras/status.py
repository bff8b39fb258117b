"""How a camera is doing, in one word: the staff pages and /api/v1/health say the same.

The word combines the two things we know: whether the camera pushes (last_seen_at)
and what the last health check found over ISAPI. A camera whose address is outside
ISAPI_ALLOWED_NETWORKS was never contacted, so nothing is claimed about it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from .models import Camera

PUSHED_WITHIN = timedelta(minutes=5)
ONLINE, SILENT, UNREACHABLE, NOT_CONTACTED, NEVER_SEEN = (
    "online",
    "silent",
    "unreachable",
    "not_contacted",
    "never_seen",
)
LABELS = {
    ONLINE: _("Online"),
    SILENT: _("Silent"),
    UNREACHABLE: _("Unreachable"),
    NOT_CONTACTED: _("Not contacted (outside the allowed networks)"),
    NEVER_SEEN: _("Never seen"),
}
DOWN = (Camera.Health.TIMEOUT, Camera.Health.REFUSED, Camera.Health.OFFLINE)


def camera_state(camera: Camera, now: datetime) -> str:
    if camera.health == Camera.Health.NOT_ALLOWED:
        return NOT_CONTACTED
    if camera.health in DOWN:
        return UNREACHABLE
    pushed = camera.last_seen_at is not None and now - camera.last_seen_at <= PUSHED_WITHIN
    if pushed or camera.health == Camera.Health.ONLINE:
        return ONLINE
    if camera.last_seen_at is None and camera.health == Camera.Health.UNKNOWN:
        return NEVER_SEEN
    return SILENT
