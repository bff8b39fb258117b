"""The hourly check: read each provisioned camera's push settings back, re-apply on drift."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.utils import timezone

from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera, CameraDrift

from .outcome import Outcome, ProvisioningError
from .push import apply_http_host, find_drift, link_triggers

logger = logging.getLogger("cameras.provisioning")


@dataclass
class DriftResult:
    camera: Camera
    drifts: list[CameraDrift] = field(default_factory=list)
    error: str = ""

    @property
    def repaired(self) -> bool:
        return bool(self.drifts) and all(d.repaired for d in self.drifts)


def repair_camera(camera: Camera, *, now=None, device: ISAPIClient | None = None) -> DriftResult:
    """Compare, record every drift found, and re-apply the push settings once."""
    now = now or timezone.now()
    result = DriftResult(camera)
    try:
        with device or ISAPIClient.for_camera(camera) as client:
            found = find_drift(camera, client)
            error = _reapply(camera, client) if found else ""
    except (errors.ISAPIError, ProvisioningError) as exc:
        # An unreachable camera is the health check's business; nothing to record here.
        result.error = str(exc)
        return result
    result.drifts = CameraDrift.objects.bulk_create([
        CameraDrift(camera=camera, detected_at=now, setting=d.setting, expected=d.expected[:300],
                    found=d.found[:300], repaired=not error, error=error[:300]) for d in found])
    Camera.objects.filter(pk=camera.pk).update(push_configured=not error, push_checked_at=now)
    if found:
        settings_changed = ", ".join(d.setting for d in found)
        logger.warning("camera %s: push settings drifted (%s); %s", camera.code, settings_changed,
                       f"repair failed: {error}" if error else "repaired")
    return result


def _reapply(camera: Camera, device: ISAPIClient) -> str:
    outcome = Outcome(camera)
    try:
        apply_http_host(camera, device, outcome, dry_run=False)
        link_triggers(camera, device, outcome, dry_run=False)
    except errors.ISAPIError as exc:
        return str(exc)
    return ""


def repair_all(now=None) -> list[DriftResult]:
    return [repair_camera(camera, now=now) for camera in Camera.objects.provisioned()]
