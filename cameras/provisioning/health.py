"""Is each camera alive? Reachable over ISAPI, and still pushing events or heartbeats.

A camera unreachable for CAMERA_OFFLINE_AFTER_SECONDS, or silent for
CAMERA_SILENT_AFTER_SECONDS, is announced offline (``cameras.signals.camera_offline``;
alerts raises one open ``camera_offline`` alert), and announced back online at the first
check that finds it reachable and pushing again. Shorter blips only show in the
camera's health fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera
from cameras.signals import camera_back_online, camera_offline
from cameras.status import DOWN

from .parallel import run_parallel

if TYPE_CHECKING:
    pass

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
            "since": local_minute(camera.unreachable_since),
            "detail": camera.get_health_display(),
        }
    silent_after = _seconds("CAMERA_SILENT_AFTER_SECONDS")
    baseline = max((t for t in (camera.last_seen_at, camera.provisioned_at) if t), default=None)
    if silent_after and baseline and now - baseline >= silent_after:
        if down_since:
            return _("no events or heartbeats since %(since)s, and unreachable") % {
                "since": local_minute(baseline)
            }
        return _(
            "no events or heartbeats since %(since)s although reachable; its push settings "
            "may have been reset"
        ) % {"since": local_minute(baseline)}
    return ""


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
            report.raised += _announce(camera_offline, camera=camera, reason=reason, at=now)
        else:
            report.resolved += bool(_announce(camera_back_online, camera=camera, at=now))
    return report


def _announce(signal, **news) -> int:
    """What the receivers did about it: alerts raised or resolved."""
    return sum(int(done or 0) for _, done in signal.send(sender=Camera, **news))


def _seconds(name: str) -> timedelta:
    return timedelta(seconds=getattr(settings, name))


def local_minute(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
