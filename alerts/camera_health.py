"""Cameras' health check announces a camera offline or back online; here that is an alert.

One open ``camera_offline`` alert per camera, resolved by the system (no user) when the
camera is back. Connected in ``AlertsConfig.ready``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cameras.models import Camera
from cameras.provisioning.health import local_minute

from .choices import Kind, Severity
from .models import Alert, TransitionNotAllowed
from .services import raise_alert


def raise_offline(sender: object, camera: Camera, reason: str, at: datetime, **kwargs: Any) -> bool:
    """True when a new alert was raised."""
    if _open_offline_alerts(camera).exists():
        return False
    raised = raise_alert(
        Kind.CAMERA_OFFLINE,
        params={"camera": camera.code, "reason": reason},
        severity=Severity.HIGH,
        camera=camera,
        group_key=f"{Kind.CAMERA_OFFLINE}|{camera.pk}",
        at=at,
        # two overlapping checks add an occurrence instead of a second alert
        cooldown_seconds=24 * 3600,
    ).alert
    return raised is not None


def resolve_offline(sender: object, camera: Camera, at: datetime, **kwargs: Any) -> int:
    """Resolve the camera's open offline alerts, with history; how many were resolved."""
    note = _("Camera back online at %(at)s.") % {"at": local_minute(at)}
    resolved = 0
    for alert in _open_offline_alerts(camera):
        try:
            alert.resolve(by=None, note=note)
        except TransitionNotAllowed:
            continue  # closed by staff meanwhile
        resolved += 1
    return resolved


def _open_offline_alerts(camera: Camera) -> QuerySet[Alert]:
    return Alert.objects.active().of_kind(Kind.CAMERA_OFFLINE).filter(camera=camera)
