"""Pointing a camera's HTTP push at this backend, and keeping it there.

Slot 1 of the device's HTTP hosts is ours: writing it in place makes every run
idempotent. Each configured event trigger is then linked to that slot; a trigger the
device answers notSupport for is remembered and skipped with a warning. A gate camera
must push plate reads, so it gets the plate trigger its device supports, or fails.

Device work (``configure_push``) touches no database, so many cameras can run in
threads; ``save_outcome`` then records what was learnt, in the caller's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cameras.device_limits import push_credential_errors
from cameras.isapi import EventTrigger, HttpHost, ISAPIClient, errors
from cameras.models import Camera

from .outcome import NoPushTrigger, Outcome, ProvisioningError

HOST_SLOT = 1
HTTP = "HTTP"
# Where plate reads come from: ANPR cameras push "ANPR" on vehicledetection; access
# controllers (the seed's gate design) on AccessControllerEvent.
PLATE_TRIGGERS = ("vehicledetection", "AccessControllerEvent")


def expected_http_host(camera: Camera) -> HttpHost:
    problems = push_credential_errors(camera.push_username, camera.push_password)
    if problems:
        raise ProvisioningError(" ".join(problems.values()))
    with_auth = bool(camera.push_username and camera.push_password)
    return HttpHost(
        id=HOST_SLOT,
        url=settings.BACKEND_EVENT_PATH,
        ip_address=settings.BACKEND_IP,
        port=settings.BACKEND_PORT,
        parameter_format=camera.push_format,
        auth_method="MD5digest" if with_auth else "none",
        username=camera.push_username if with_auth else "",
        password=camera.push_password if with_auth else "",
    )


def describe(host: HttpHost | None) -> str:
    if host is None:
        return "(empty)"
    auth = f" auth={host.auth_method}" + (f" user={host.username}" if host.username else "")
    return (
        f"{(host.protocol or HTTP).lower()}://{host.ip_address}:{host.port}{host.url} "
        f"{host.parameter_format}{auth}"
    )


def wanted_triggers(camera: Camera) -> list[str]:
    """The triggers linked as configured; a gate's plate trigger is chosen separately."""
    skipped = set(camera.unsupported_triggers or [])
    chosen_apart = set(PLATE_TRIGGERS) if camera.is_gate else set()
    return [t for t in camera.event_triggers or [] if t not in skipped and t not in chosen_apart]


def plate_trigger_candidates(camera: Camera) -> list[str]:
    """A gate's plate triggers to try, the configured ones first, minus known unsupported."""
    configured = [t for t in camera.event_triggers or [] if t in PLATE_TRIGGERS]
    skipped = set(camera.unsupported_triggers or [])
    return [t for t in configured + [t for t in PLATE_TRIGGERS if t not in configured] if t not in skipped]


def record_device_info(camera: Camera, device: ISAPIClient, outcome: Outcome) -> None:
    info = device.device_info()
    outcome.updates.update(
        model=info.model or camera.model,
        serial_number=info.serial_number,
        firmware_version=info.firmware_version,
        mac_address=info.mac_address,
    )
    outcome.step(
        f"device {info.model}, serial {info.serial_number}, firmware {info.firmware_version}, "
        f"MAC {info.mac_address}"
    )


def apply_http_host(camera: Camera, device: ISAPIClient, outcome: Outcome, dry_run: bool) -> None:
    wanted = expected_http_host(camera)
    current = device.http_host(HOST_SLOT)
    # The password is never read back, so a host with credentials is always rewritten.
    if host_matches(current, wanted) and wanted.auth_method == "none":
        outcome.step(f"HTTP host {HOST_SLOT} already {describe(wanted)}")
        return
    if dry_run:
        outcome.step(
            f"would set HTTP host {HOST_SLOT}: {describe(current)} -> {describe(wanted)}",
            changed=not host_matches(current, wanted),
        )
        return
    device.set_http_host(wanted)
    outcome.step(
        f"HTTP host {HOST_SLOT} set to {describe(wanted)}", changed=not host_matches(current, wanted)
    )


def host_matches(found: HttpHost | None, wanted: HttpHost) -> bool:
    """Judged on what the device returned: a field some firmware leaves out is no drift."""
    return found is not None and found.agrees_with(wanted)


def link_triggers(camera: Camera, device: ISAPIClient, outcome: Outcome, dry_run: bool) -> None:
    for event_type in wanted_triggers(camera):
        if not _link(camera, device, event_type, outcome, dry_run):
            outcome.warn(f"trigger {event_type} not supported by the device, skipped")
    if camera.is_gate:
        link_plate_trigger(camera, device, outcome, dry_run)


def link_plate_trigger(camera: Camera, device: ISAPIClient, outcome: Outcome, dry_run: bool) -> None:
    for event_type in plate_trigger_candidates(camera):
        if _link(camera, device, event_type, outcome, dry_run):
            return
    raise NoPushTrigger(
        _(
            "no trigger for plate reads is supported by the device (tried %(tried)s): "
            "this gate would never push a plate"
        )
        % {"tried": ", ".join(PLATE_TRIGGERS)}
    )


def _link(camera: Camera, device: ISAPIClient, event_type: str, outcome: Outcome, dry_run: bool) -> bool:
    """Link one trigger to our host; False when the device does not support it."""
    trigger = _read_trigger(device, event_type, camera.channel)
    if trigger is None:
        _remember_unsupported(camera, event_type, outcome)
        return False
    if trigger.notifies_host(HOST_SLOT):
        outcome.step(f"trigger {event_type} already linked")
    elif dry_run:
        outcome.step(f"would link trigger {event_type}", changed=True)
    else:
        device.set_event_trigger(trigger.with_host(HOST_SLOT), event_type, camera.channel)
        outcome.step(f"trigger {event_type} linked", changed=True)
    return True


def _remember_unsupported(camera: Camera, event_type: str, outcome: Outcome) -> None:
    if outcome.dry_run or event_type in camera.unsupported_triggers:
        return
    camera.unsupported_triggers = [*camera.unsupported_triggers, event_type]
    outcome.updates["unsupported_triggers"] = camera.unsupported_triggers


def configure_push(camera: Camera, *, dry_run: bool = False, device: ISAPIClient | None = None) -> Outcome:
    """The device side of configure_cameras for one camera: identity, HTTP host, triggers."""
    outcome = Outcome(camera, dry_run=dry_run)
    try:
        expected_http_host(camera)
        with device or ISAPIClient.for_camera(camera) as client:
            record_device_info(camera, client, outcome)
            apply_http_host(camera, client, outcome, dry_run)
            link_triggers(camera, client, outcome, dry_run)
    except NoPushTrigger as exc:
        outcome.fail(str(exc), push_broken=True)
    except (errors.ISAPIError, ProvisioningError) as exc:
        outcome.fail(str(exc))
    return outcome


def save_outcome(outcome: Outcome, now: datetime | None = None) -> None:
    """Record a run on the camera row: what the device told us, and whether it worked."""
    if outcome.dry_run:
        return
    now = now or timezone.now()
    fields = {**outcome.updates, "provision_error": outcome.error[:300]}
    if outcome.ok:
        fields.update(push_configured=True, push_checked_at=now, provisioned_at=now)
    elif outcome.push_broken:
        fields.update(push_configured=False, push_checked_at=now)
    Camera.objects.filter(pk=outcome.camera.pk).update(**fields)
    for name, value in fields.items():
        setattr(outcome.camera, name, value)


def provision_push(
    camera: Camera, *, dry_run: bool = False, device: ISAPIClient | None = None, now: datetime | None = None
) -> Outcome:
    """configure_cameras for one camera, recorded."""
    outcome = configure_push(camera, dry_run=dry_run, device=device)
    save_outcome(outcome, now)
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
    if not host_matches(current, wanted):
        drifts.append(Drift(f"http_host:{HOST_SLOT}", describe(wanted), describe(current)))
    for event_type, trigger in _read_linked_triggers(camera, device).items():
        if not trigger.notifies_host(HOST_SLOT):
            found = ", ".join(f"{n.method}{n.http_host_id or ''}" for n in trigger.notifications)
            drifts.append(Drift(f"trigger:{event_type}", f"HTTP host {HOST_SLOT}", found or "(none)"))
    return drifts


def _read_linked_triggers(camera: Camera, device: ISAPIClient) -> dict[str, EventTrigger]:
    """The triggers provisioning links on this device, as it reads them back: the configured
    ones it supports, and a gate's first supported plate trigger."""
    triggers = {}
    for event_type in wanted_triggers(camera):
        trigger = _read_trigger(device, event_type, camera.channel)
        if trigger is not None:
            triggers[event_type] = trigger
    for event_type in plate_trigger_candidates(camera) if camera.is_gate else []:
        trigger = _read_trigger(device, event_type, camera.channel)
        if trigger is not None:
            triggers[event_type] = trigger
            break
    return triggers


def _read_trigger(device: ISAPIClient, event_type: str, channel: int) -> EventTrigger | None:
    try:
        return device.event_trigger(event_type, channel)
    except errors.NotSupported:
        return None
