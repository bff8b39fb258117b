"""Pointing a camera's HTTP push at this backend, and keeping it there.

Slot 1 of the device's HTTP hosts is ours: writing it in place makes every run
idempotent. Each configured event trigger is then linked to that slot; a trigger the
device answers notSupport for is remembered and skipped with a warning.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cameras.isapi import HttpHost, ISAPIClient, errors
from cameras.models import Camera

from .outcome import Outcome, ProvisioningError

HOST_SLOT = 1
PUSH_PASSWORD_MAX = 16  # devices refuse longer push passwords


def expected_http_host(camera: Camera) -> HttpHost:
    if len(camera.push_password or "") > PUSH_PASSWORD_MAX:
        raise ProvisioningError(_("push password is longer than %(max)d characters, which devices refuse")
                                % {"max": PUSH_PASSWORD_MAX})
    with_auth = bool(camera.push_username and camera.push_password)
    return HttpHost(id=HOST_SLOT, url=settings.BACKEND_EVENT_PATH, ip_address=settings.BACKEND_IP,
                    port=settings.BACKEND_PORT, parameter_format=camera.push_format,
                    auth_method="MD5digest" if with_auth else "none",
                    username=camera.push_username if with_auth else "",
                    password=camera.push_password if with_auth else "")


def describe(host: HttpHost | None) -> str:
    if host is None:
        return "(empty)"
    auth = f" auth={host.auth_method}" + (f" user={host.username}" if host.username else "")
    return (f"{host.protocol.lower()}://{host.ip_address}:{host.port}{host.url} "
            f"{host.parameter_format}{auth}")


def wanted_triggers(camera: Camera) -> list[str]:
    skipped = set(camera.unsupported_triggers or [])
    return [t for t in camera.event_triggers or [] if t not in skipped]


def record_device_info(camera: Camera, device: ISAPIClient, outcome: Outcome, dry_run: bool) -> None:
    info = device.device_info()
    camera.model = info.model or camera.model
    camera.serial_number = info.serial_number
    camera.firmware_version = info.firmware_version
    camera.mac_address = info.mac_address
    if not dry_run:
        camera.save(update_fields=["model", "serial_number", "firmware_version", "mac_address"])
    outcome.step(f"device {info.model}, serial {info.serial_number}, firmware {info.firmware_version}, "
                 f"MAC {info.mac_address}")


def apply_http_host(camera: Camera, device: ISAPIClient, outcome: Outcome, dry_run: bool) -> None:
    wanted = expected_http_host(camera)
    current = device.http_host(HOST_SLOT)
    # The password is never read back, so a host with credentials is always rewritten.
    if current == wanted and wanted.auth_method == "none":
        outcome.step(f"HTTP host {HOST_SLOT} already {describe(wanted)}")
        return
    if dry_run:
        outcome.step(f"would set HTTP host {HOST_SLOT}: {describe(current)} -> {describe(wanted)}")
        return
    device.set_http_host(wanted)
    outcome.step(f"HTTP host {HOST_SLOT} set to {describe(wanted)}", changed=current != wanted)


def link_triggers(camera: Camera, device: ISAPIClient, outcome: Outcome, dry_run: bool) -> None:
    for event_type in wanted_triggers(camera):
        try:
            trigger = device.event_trigger(event_type, camera.channel)
        except errors.NotSupported:
            outcome.warn(f"trigger {event_type} not supported by the device, skipped")
            _remember_unsupported(camera, event_type, dry_run)
            continue
        if trigger.notifies_host(HOST_SLOT):
            outcome.step(f"trigger {event_type} already linked")
        elif dry_run:
            outcome.step(f"would link trigger {event_type}")
        else:
            device.link_trigger(event_type, HOST_SLOT, camera.channel)
            outcome.step(f"trigger {event_type} linked", changed=True)


def _remember_unsupported(camera: Camera, event_type: str, dry_run: bool) -> None:
    if dry_run or event_type in camera.unsupported_triggers:
        return
    camera.unsupported_triggers = [*camera.unsupported_triggers, event_type]
    camera.save(update_fields=["unsupported_triggers"])


def mark_push_configured(camera: Camera, now=None) -> None:
    now = now or timezone.now()
    Camera.objects.filter(pk=camera.pk).update(push_configured=True, push_checked_at=now,
                                               provisioned_at=now)


def provision_push(camera: Camera, *, dry_run: bool = False, device: ISAPIClient | None = None,
                   now=None) -> Outcome:
    """configure_cameras for one camera: identity, HTTP host, triggers."""
    outcome = Outcome(camera)
    try:
        expected_http_host(camera)
        with device or ISAPIClient.for_camera(camera) as client:
            record_device_info(camera, client, outcome, dry_run)
            apply_http_host(camera, client, outcome, dry_run)
            link_triggers(camera, client, outcome, dry_run)
    except (errors.ISAPIError, ProvisioningError) as exc:
        return outcome.fail(str(exc))
    if not dry_run:
        mark_push_configured(camera, now)
    return outcome


@dataclass(frozen=True)
class Drift:
    setting: str
    expected: str
    found: str


def find_drift(camera: Camera, device: ISAPIClient) -> list[Drift]:
    """Read the push settings back and list what differs from what we provisioned."""
    wanted = expected_http_host(camera)
    current = device.http_host(HOST_SLOT)
    drifts = []
    if current != wanted:
        drifts.append(Drift(f"http_host:{HOST_SLOT}", describe(wanted), describe(current)))
    for event_type in wanted_triggers(camera):
        try:
            trigger = device.event_trigger(event_type, camera.channel)
        except errors.NotSupported:
            continue
        if not trigger.notifies_host(HOST_SLOT):
            found = ", ".join(f"{n.method}{n.http_host_id or ''}" for n in trigger.notifications)
            drifts.append(Drift(f"trigger:{event_type}", f"HTTP host {HOST_SLOT}", found or "(none)"))
    return drifts
