"""Is each camera alive? Reachable over ISAPI, and still pushing events or heartbeats.

A camera unreachable for CAMERA_OFFLINE_AFTER_SECONDS, or silent for
CAMERA_SILENT_AFTER_SECONDS, gets one open ``camera_offline`` alert; it is resolved at
the first check that finds the camera reachable and pushing again. Shorter blips
only show in the camera's health fields.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import Kind, Severity
from alerts.models import Alert, TransitionNotAllowed
from alerts.services import raise_alert
from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera
from cameras.status import DOWN

from .parallel import run_parallel

if TYPE_CHECKING:
    from django.db.models import QuerySet

# 32 parallel probes keep a round of 150 unreachable cameras (5 s timeout) inside a minute.
PROBE_THREADS = 32


@dataclass(frozen=True)
class Probe:
    health: str
    detail: str = ""
    firmware: str = ""

    @property
    def reachable(self) -> bool:
        """False only when the camera was tried and did not answer; a camera never
        contacted (outside the allowed networks) is not counted as down."""
        return self.health not in DOWN


def probe_failure(exc: errors.ISAPIError) -> Probe:
    """A failed call, classified the way check_cameras and the cameras page show it."""
    if isinstance(exc, errors.AuthenticationFailed):
        return Probe(Camera.Health.AUTH_FAILED, str(exc))
    if isinstance(exc, errors.AddressNotAllowed):
        return Probe(Camera.Health.NOT_ALLOWED, str(exc))
    if isinstance(exc, errors.DeviceTimeout):
        return Probe(Camera.Health.TIMEOUT, str(exc))
    if isinstance(exc, errors.ConnectionFailed):
        return Probe(Camera.Health.REFUSED, str(exc))
    return Probe(Camera.Health.ERROR, str(exc))


def probe(camera: Camera, timeout: float | None = None) -> Probe:
    """One deviceInfo round trip."""
    try:
        with ISAPIClient.for_camera(camera, timeout=timeout) as device:
            info = device.device_info()
    except errors.ISAPIError as exc:
        return probe_failure(exc)
    return Probe(Camera.Health.ONLINE, firmware=info.firmware_version)


def record_probe(camera: Camera, result: Probe, now: datetime) -> None:
    camera.health, camera.health_detail, camera.health_checked_at = result.health, result.detail[:300], now
    if result.reachable:
        camera.unreachable_since = None
    elif camera.unreachable_since is None:
        camera.unreachable_since = now
    fields = ["health", "health_detail", "health_checked_at", "unreachable_since"]
    if result.firmware and result.firmware != camera.firmware_version:
        camera.firmware_version = result.firmware
        fields.append("firmware_version")
    camera.save(update_fields=fields)


def offline_reason(camera: Camera, now: datetime) -> str:
    """Why the camera counts as offline now, or "" when it does not."""
    down_since = camera.unreachable_since
    if down_since and now - down_since >= _seconds("CAMERA_OFFLINE_AFTER_SECONDS"):
        return _("unreachable since %(since)s (%(detail)s)") % {
            "since": _local(camera.unreachable_since), "detail": camera.get_health_display()}
    silent_after = _seconds("CAMERA_SILENT_AFTER_SECONDS")
    baseline = max((t for t in (camera.last_seen_at, camera.provisioned_at) if t), default=None)
    if silent_after and baseline and now - baseline >= silent_after:
        if down_since:
            return _("no events or heartbeats since %(since)s, and unreachable") % {"since": _local(baseline)}
        return _("no events or heartbeats since %(since)s although reachable; its push settings "
                 "may have been reset") % {"since": _local(baseline)}
    return ""


def raise_offline(camera: Camera, reason: str, now: datetime) -> Alert | None:
    if _open_offline_alerts(camera).exists():
        return None
    return raise_alert(Kind.CAMERA_OFFLINE, params={"camera": camera.code, "reason": reason},
                       severity=Severity.HIGH, camera=camera,
                       group_key=f"{Kind.CAMERA_OFFLINE}|{camera.pk}", at=now,
                       # two overlapping checks add an occurrence instead of a second alert
                       cooldown_seconds=24 * 3600).alert


def resolve_offline(camera: Camera, now: datetime) -> int:
    """Resolve the camera's open offline alerts (by the system: no user), with history."""
    note = _("Camera back online at %(at)s.") % {"at": _local(now)}
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


@dataclass
class HealthReport:
    checked: int = 0
    raised: int = 0
    resolved: int = 0


def check_health(now: datetime | None = None, cameras: Iterable[Camera] | None = None) -> HealthReport:
    """The every-minute task: probe all active cameras in parallel, then judge each."""
    now = now or timezone.now()
    cameras = list(cameras if cameras is not None else Camera.objects.active())
    probes = run_parallel(probe, cameras, workers=PROBE_THREADS)
    report = HealthReport(checked=len(cameras))
    for camera, result in zip(cameras, probes, strict=True):
        record_probe(camera, result, now)
        if result.health == Camera.Health.NOT_ALLOWED:
            continue  # never contacted: nothing known, so no offline alert and no "back online"
        reason = offline_reason(camera, now)
        if reason:
            report.raised += raise_offline(camera, reason, now) is not None
        else:
            report.resolved += bool(resolve_offline(camera, now))
    return report


def _seconds(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
