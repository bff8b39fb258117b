"""Gate cameras' own plate lists follow the ANPR registry (allowed / blocked vehicles).

A camera keeps acting on its lists while the backend is unreachable, so each sync
makes the device match the registry exactly: missing plates added, changed ones
updated in place, and plates no longer registered (or listed twice) deleted.
Cameras use either the traffic plate lists or, like the seed, access-control users
whose card number is the plate (``Camera.plate_list_mode``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from cameras.device_limits import PLATE_MAX
from cameras.isapi import ALLOW, BLOCK, ISAPIClient, PlateEntry, PlateUser, errors
from cameras.isapi.traffic import BATCH, RECORD
from cameras.models import Camera
from cameras.provisioning.outcome import Outcome
from cameras.provisioning.parallel import run_parallel

from .models import Category, Vehicle

REPLACED = "the device cannot search its plate list, so the whole list is written (replaced)"
PENDING_KEY = "cameras:plate-sync-pending"


@dataclass(frozen=True)
class Plate:
    """One registry vehicle as a camera needs it."""

    plate: str
    blocked: bool
    owner: str = ""
    visitor: bool = False
    valid_from: str = ""  # YYYY-MM-DD
    valid_until: str = ""


def registry_plates() -> list[Plate]:
    vehicles = (Vehicle.objects.allowed() | Vehicle.objects.blocked()).order_by("plate")
    return [
        Plate(
            v.plate,
            v.is_blocked,
            v.owner_name,
            v.category == Category.VISITOR,
            v.valid_from.isoformat() if v.valid_from else "",
            v.valid_until.isoformat() if v.valid_until else "",
        )
        for v in vehicles
    ]


@dataclass
class SyncCounts:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    replaced: int | None = None  # the whole list was written: the device could not be searched

    @property
    def changes(self) -> int:
        if self.replaced is not None:
            return self.replaced
        return self.added + self.updated + self.deleted

    def __str__(self) -> str:
        if self.replaced is not None:
            return f"whole list replaced with {self.replaced} plate(s)"
        return (
            f"{self.added} added, {self.updated} updated, {self.deleted} deleted, {self.unchanged} unchanged"
        )


def _entry(plate: Plate, entry_id: str = "") -> PlateEntry:
    return PlateEntry(
        plate.plate, BLOCK if plate.blocked else ALLOW, plate.valid_from, plate.valid_until, id=entry_id
    )


def plan_entries(wanted: list[Plate], current: list[PlateEntry]) -> tuple:
    """(entries to save, ids to delete, counts) turning ``current`` into ``wanted``."""
    by_plate: dict[str, PlateEntry] = {}
    delete: list[str] = []
    for entry in current:
        if entry.plate in by_plate:
            delete.append(entry.id)  # listed twice on the device
        else:
            by_plate[entry.plate] = entry
    counts, save = SyncCounts(), []
    names = {p.plate for p in wanted}
    delete += [e.id for plate, e in by_plate.items() if plate not in names]
    for plate in wanted:
        existing = by_plate.get(plate.plate)
        target = _entry(plate, existing.id if existing else "")
        if existing is None:
            save.append(target)
            counts.added += 1
        elif not existing.same_content(target):
            save.append(target)
            counts.updated += 1
        else:
            counts.unchanged += 1
    counts.deleted = len(delete)
    return save, delete, counts


def _user(plate: Plate) -> PlateUser:
    kind = "blackList" if plate.blocked else ("visitor" if plate.visitor else "normal")
    return PlateUser(
        employee_no=plate.plate,
        name=(plate.owner or plate.plate)[:32],
        user_type=kind,
        card_no=plate.plate,
        valid_from=f"{plate.valid_from}T00:00:00" if plate.valid_from else "",
        valid_until=f"{plate.valid_until}T23:59:59" if plate.valid_until else "",
    )


def plan_users(wanted: list[Plate], current: list[PlateUser]) -> tuple:
    existing = {u.employee_no: u for u in current}
    targets = [_user(p) for p in wanted]
    names = {t.employee_no for t in targets}
    delete = [n for n in existing if n not in names]
    save = [
        t for t in targets if t.employee_no not in existing or not existing[t.employee_no].same_content(t)
    ]
    added = sum(t.employee_no not in existing for t in save)
    counts = SyncCounts(
        added=added, updated=len(save) - added, deleted=len(delete), unchanged=len(targets) - len(save)
    )
    return save, delete, counts


def _sync_lists(camera: Camera, device: ISAPIClient, wanted: list[Plate], outcome: Outcome) -> SyncCounts:
    try:
        current = device.plate_entries(camera.channel)
    except errors.NotSupported:
        return _replace_lists(camera, device, wanted, outcome)
    save, delete, counts = plan_entries(wanted, current)
    if not outcome.dry_run:
        device.delete_plate_entries(delete, camera.channel)
        _save_entries(camera, device, save, outcome)
    return counts


def _replace_lists(camera: Camera, device: ISAPIClient, wanted: list[Plate], outcome: Outcome) -> SyncCounts:
    """A device that cannot search its list gets the whole registry: delete all, write all."""
    if not outcome.dry_run:
        device.delete_all_plate_entries(camera.channel)
        _save_entries(camera, device, [_entry(p) for p in wanted], outcome)
    outcome.warn(REPLACED)
    return SyncCounts(replaced=len(wanted))


def _save_entries(camera: Camera, device: ISAPIClient, entries: list[PlateEntry], outcome: Outcome) -> None:
    """Write in the form the device takes; the first sync finds it and it is remembered."""
    known = camera.plate_write_form or BATCH
    forms = [known, *(f for f in (BATCH, RECORD) if f != known)]
    for form in forms:
        try:
            device.save_plate_entries(entries, camera.channel, form=form)
        except (errors.NotSupported, errors.InvalidOperation):
            if form == forms[-1]:
                raise
            continue
        if entries and form != camera.plate_write_form:
            outcome.updates["plate_write_form"] = form
        return


def _sync_users(camera: Camera, device: ISAPIClient, wanted: list[Plate], outcome: Outcome) -> SyncCounts:
    try:
        current = device.plate_users()
    except errors.NotSupported:
        return _replace_users(device, wanted, outcome)
    save, delete, counts = plan_users(wanted, current)
    if not outcome.dry_run:
        device.delete_plate_users(delete)
        for user in save:
            device.save_plate_user(user)
    return counts


def _replace_users(device: ISAPIClient, wanted: list[Plate], outcome: Outcome) -> SyncCounts:
    if not outcome.dry_run:
        device.delete_all_plate_users()
        for plate in wanted:
            device.save_plate_user(_user(plate))
    outcome.warn(REPLACED)
    return SyncCounts(replaced=len(wanted))


def sync_plates(
    camera: Camera, outcome: Outcome, device: ISAPIClient, *, wanted: list[Plate] | None = None
) -> None:
    wanted = registry_plates() if wanted is None else wanted
    too_long = [p.plate for p in wanted if len(p.plate) > PLATE_MAX]
    if too_long:
        outcome.warn(f"plates longer than {PLATE_MAX} characters not sent: {', '.join(too_long)}")
    wanted = [p for p in wanted if len(p.plate) <= PLATE_MAX]
    sync = _sync_users if camera.plate_list_mode == Camera.PlateListMode.USERINFO else _sync_lists
    counts = sync(camera, device, wanted, outcome)
    verb = "would sync" if outcome.dry_run else "plates synced"
    outcome.step(f"{verb} ({camera.get_plate_list_mode_display()}): {counts}", changed=counts.changes)
    outcome.updates["plate_sync_note"] = str(counts)[:200]


def configure_anpr_device(
    camera: Camera, *, dry_run: bool = False, wanted: list[Plate] | None = None, enable: bool = True
) -> Outcome:
    """The device side of configure_anpr_cameras (no database: safe in a thread)."""
    outcome = Outcome(camera, dry_run=dry_run)
    try:
        with ISAPIClient.for_camera(camera) as device:
            if enable:
                _enable_recognition(device, camera, outcome)
            sync_plates(camera, outcome, device, wanted=wanted)
    except errors.NotSupported as exc:
        outcome.fail(
            f"{exc} — the device takes no {camera.get_plate_list_mode_display().lower()} "
            f"at all; check this camera's plate list mode"
        )
    except errors.ISAPIError as exc:
        outcome.fail(str(exc))
    return outcome


def save_plate_outcome(outcome: Outcome, now: datetime | None = None) -> None:
    if outcome.dry_run:
        return
    fields = {"plate_sync_error": outcome.error[:300]}
    if outcome.ok:
        fields.update(outcome.updates, plates_synced_at=now or timezone.now())
    Camera.objects.filter(pk=outcome.camera.pk).update(**fields)


def configure_anpr(
    camera: Camera, *, dry_run: bool = False, wanted: list[Plate] | None = None, enable: bool = True
) -> Outcome:
    """configure_anpr_cameras for one camera, recorded: plate recognition on, then plate lists."""
    outcome = configure_anpr_device(
        camera, dry_run=dry_run, wanted=registry_plates() if wanted is None else wanted, enable=enable
    )
    save_plate_outcome(outcome)
    return outcome


def _enable_recognition(device: ISAPIClient, camera: Camera, outcome: Outcome) -> None:
    if outcome.dry_run:
        outcome.step("would enable plate recognition")
        return
    try:
        device.enable_plate_recognition(camera.channel)
    except errors.NotSupported:
        outcome.warn("plate recognition setting not supported by the device, skipped")
        return
    outcome.step("plate recognition enabled")


def sync_all(codes: list[str] | None = None) -> list[Outcome]:
    """Background sync after registry changes: every gate camera, lists only."""
    cache.delete(PENDING_KEY)
    cameras = Camera.objects.plate_readers()
    if codes:
        cameras = cameras.filter(code__in=codes)
    wanted = registry_plates()
    outcomes = run_parallel(
        lambda camera: configure_anpr_device(camera, wanted=wanted, enable=False), cameras
    )
    for outcome in outcomes:
        save_plate_outcome(outcome)
    return outcomes
