"""check_cameras: can we reach each camera, what is it, and does it push to us?"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera

from .health import Probe, record_probe


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
}


def webhook_state(device: ISAPIClient) -> str:
    try:
        hosts = device.http_hosts()
    except errors.ISAPIError as exc:
        return f"cannot check ({exc.status_label})"
    ours = [h for h in hosts if (h.ip_address, h.port, h.url) ==
            (settings.BACKEND_IP, settings.BACKEND_PORT, settings.BACKEND_EVENT_PATH)]
    if ours:
        return f"registered (slot {ours[0].id}, {ours[0].parameter_format})"
    return "NOT configured (run configure_cameras)"


def check_camera(camera: Camera, now=None) -> ConnectionCheck:
    try:
        with ISAPIClient.for_camera(camera) as device:
            info = device.device_info()
            webhook = webhook_state(device)
    except errors.ISAPIError as exc:
        probe = _probe_of(exc)
        record_probe(camera, probe, now or timezone.now())
        return ConnectionCheck(camera, probe.health, hint=HINTS.get(probe.health, str(exc)))
    record_probe(camera, Probe(Camera.Health.ONLINE, firmware=info.firmware_version), now or timezone.now())
    return ConnectionCheck(camera, Camera.Health.ONLINE, info.model, info.serial_number,
                           info.firmware_version, webhook)


def _probe_of(exc: errors.ISAPIError) -> Probe:
    if isinstance(exc, errors.AuthenticationFailed):
        return Probe(Camera.Health.AUTH_FAILED, str(exc))
    if isinstance(exc, errors.DeviceTimeout):
        return Probe(Camera.Health.TIMEOUT, str(exc))
    if isinstance(exc, errors.ConnectionFailed):
        return Probe(Camera.Health.REFUSED, str(exc))
    return Probe(Camera.Health.ERROR, str(exc))
