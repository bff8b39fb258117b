"""The hourly check: read each provisioned camera's push settings back, re-apply on drift."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera, CameraDrift

from .outcome import Outcome, ProvisioningError
from .parallel import run_parallel
from .push import Drift, apply_http_host, find_drift, link_triggers

logger = logging.getLogger("cameras.provisioning")


@dataclass
class DriftResult:
    camera: Camera
    drifts: list[CameraDrift] = field(default_factory=list)
    error: str = ""

    @property
    def repaired(self) -> bool:
        return bool(self.drifts) and all(d.repaired for d in self.drifts)


@dataclass
class DeviceCheck:
    """What one camera's read-back found, before anything is recorded."""

    found: list[Drift] = field(default_factory=list)
    repair_error: str = ""
    unreachable: str = ""


def inspect_camera(camera: Camera, device: ISAPIClient | None = None) -> DeviceCheck:
    """Device work only (safe in a thread): compare, and re-apply once on drift."""
    check = DeviceCheck()
    try:
        with device or ISAPIClient.for_camera(camera) as client:
            check.found = find_drift(camera, client)
            check.repair_error = _reapply(camera, client) if check.found else ""
    except (errors.ISAPIError, ProvisioningError) as exc:
        check.unreachable = str(exc)
    return check


def record_check(camera: Camera, check: DeviceCheck, now: datetime) -> DriftResult:
    if check.unreachable:
        # An unreachable camera is the health check's business; nothing to record here.
        return DriftResult(camera, error=check.unreachable)
    error = check.repair_error
    drifts = CameraDrift.objects.bulk_create(
        [
            CameraDrift(
                camera=camera,
                detected_at=now,
                setting=d.setting,
                expected=d.expected[:300],
                found=d.found[:300],
                repaired=not error,
                error=error[:300],
            )
            for d in check.found
        ]
    )
    Camera.objects.filter(pk=camera.pk).update(push_configured=not error, push_checked_at=now)
    if check.found:
        settings_changed = ", ".join(d.setting for d in check.found)
        logger.warning(
            "camera %s: push settings drifted (%s); %s",
            camera.code,
            settings_changed,
            f"repair failed: {error}" if error else "repaired",
        )
    return DriftResult(camera, drifts)


def repair_camera(
    camera: Camera, *, now: datetime | None = None, device: ISAPIClient | None = None
) -> DriftResult:
    """Compare, record every drift found, and re-apply the push settings once."""
    return record_check(camera, inspect_camera(camera, device), now or timezone.now())


def _reapply(camera: Camera, device: ISAPIClient) -> str:
    outcome = Outcome(camera)
    try:
        apply_http_host(camera, device, outcome, dry_run=False)
        link_triggers(camera, device, outcome, dry_run=False)
    except (errors.ISAPIError, ProvisioningError) as exc:
        return str(exc)
    return ""


def repair_all(now: datetime | None = None) -> list[DriftResult]:
    now = now or timezone.now()
    cameras = list(Camera.objects.provisioned())
    checks = run_parallel(inspect_camera, cameras)
    return [record_check(camera, check, now) for camera, check in zip(cameras, checks, strict=True)]
