"""check_cameras: can we reach each camera, what is it, and does it push to us?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera

from .health import Probe, probe_failure, record_probe


@dataclass(frozen=True)
class ConnectionCheck:
    camera: Camera
    status: str
    model: str = ""
    serial: str = ""
    firmware: str = ""
    webhook: str = ""
    hint: str = ""

    @property
    def ok(self) -> bool:
        return self.status == Camera.Health.ONLINE


HINTS = {
    Camera.Health.AUTH_FAILED: "wrong username or password",
    Camera.Health.TIMEOUT: "no answer: check the address and the network",
    Camera.Health.REFUSED: "nothing answers at this address and port",
    Camera.Health.NOT_ALLOWED: "not contacted: the address is outside ISAPI_ALLOWED_NETWORKS "
    "(add the camera's network there if it is a real camera)",
}


def webhook_state(device: ISAPIClient) -> str:
    try:
        hosts = device.http_hosts()
    except errors.ISAPIError as exc:
        return f"cannot check ({exc.status_label})"
    ours = [
        h
        for h in hosts
        if (h.ip_address, h.port, h.url)
        == (settings.BACKEND_IP, settings.BACKEND_PORT, settings.BACKEND_EVENT_PATH)
    ]
    if ours:
        return f"registered (slot {ours[0].id}, {ours[0].parameter_format})"
    return "NOT configured (run configure_cameras)"


def inspect_connection(camera: Camera) -> tuple[ConnectionCheck, Probe]:
    """Device work only (safe in a thread): identity and webhook, or why not."""
    try:
        with ISAPIClient.for_camera(camera) as device:
            info = device.device_info()
            webhook = webhook_state(device)
    except errors.ISAPIError as exc:
        probe = probe_failure(exc)
        return ConnectionCheck(camera, probe.health, hint=HINTS.get(probe.health, str(exc))), probe
    return (
        ConnectionCheck(
            camera, Camera.Health.ONLINE, info.model, info.serial_number, info.firmware_version, webhook
        ),
        Probe(Camera.Health.ONLINE, firmware=info.firmware_version),
    )


def check_camera(camera: Camera, now: datetime | None = None) -> ConnectionCheck:
    result, probe = inspect_connection(camera)
    record_probe(camera, probe, now or timezone.now())
    return result
