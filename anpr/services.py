"""From a plate read at a gate to a passage, a visit and, when needed, an alert.

``record_plate_read(event)`` is the one entry point: the camera dispatch handler, the
edge-sensor ingest (through a dispatched CameraEvent) and tests all call it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import Kind, Severity
from alerts.services import raise_alert

from . import plates
from .models import Gate, GatePassage, Match, PassageCategory, Vehicle, Visit, local_date

ENTRY_WORDS = {"entry", "in", "enter", "entrance", "forward", "approach", "coming"}
EXIT_WORDS = {"exit", "out", "leave", "leaving", "reverse", "away", "going"}


@dataclass(frozen=True)
class Identity:
    vehicle: Vehicle | None
    match: str

    @property
    def category(self) -> str:
        return self.vehicle.category if self.vehicle else PassageCategory.UNKNOWN


def gate_of(event) -> str:
    """entry/exit from the camera's role or gate setting, else from the event's direction."""
    camera_gate = event.camera.gate_direction if event.camera_id else ""
    if camera_gate:
        return camera_gate
    direction = (event.direction or "").strip().lower()
    if direction in ENTRY_WORDS:
        return Gate.ENTRY
    if direction in EXIT_WORDS:
        return Gate.EXIT
    return ""


def identify(plate: str) -> Identity:
    """Exact registry match first, else a single vehicle one confusable character away."""
    if not plate:
        return Identity(None, Match.NONE)
    found = list(Vehicle.objects.filter(plate__in={plate} | plates.probable_variants(plate)))
    exact = [vehicle for vehicle in found if vehicle.plate == plate]
    if exact:
        return Identity(exact[0], Match.EXACT)
    if len(found) == 1:
        return Identity(found[0], Match.PROBABLE)
    return Identity(None, Match.NONE)


def record_plate_read(event) -> GatePassage | None:
    """Turn a plate read (ANPR or AccessControllerEvent) into a gate passage and visit."""
    gate = gate_of(event)
    if not gate:
        return None
    moment = event.occurred_at
    plate = plates.canonical_plate(event.plate)
    if plate:
        repeated = GatePassage.objects.read_around(
            gate, {plate} | plates.probable_variants(plate), moment,
            timedelta(seconds=settings.ANPR_PASSAGE_WINDOW_SECONDS))
        if repeated is not None:
            repeated.add_read(moment)
            return repeated
    identity = identify(plate)
    passage = GatePassage.objects.create(
        gate=gate, camera=event.camera, event=event, plate=plate,
        raw_plate=(event.original_plate or event.plate)[:64], confidence=event.plate_confidence,
        vehicle=identity.vehicle, match=identity.match, category=identity.category,
        occurred_at=moment, last_read_at=moment)
    if plate:
        _update_visits(passage, identity)
        _raise_plate_alerts(passage, identity, event)
    return passage


def _update_visits(passage: GatePassage, identity: Identity) -> Visit:
    if passage.gate == Gate.ENTRY:
        return open_visit(passage, identity)
    return close_visit(passage)


def open_visit(passage: GatePassage, identity: Identity) -> Visit:
    """An entry opens a visit; an earlier visit of the same plate still open is stale."""
    open_visits = Visit.objects.open().for_plates([passage.plate])
    for earlier in open_visits.entered_before(passage.occurred_at):
        earlier.close_stale(_("re-entered without an exit"), at=passage.occurred_at)
    visit = Visit.objects.create(
        plate=passage.plate, vehicle=identity.vehicle, category=identity.category,
        entry=passage, entered_at=passage.occurred_at, entry_date=passage.local_date)
    if open_visits.filter(entered_at__gt=passage.occurred_at).exists():
        # Delivered late (camera backlog): a later entry already holds the open visit.
        visit.close_stale(_("entry received after a later entry"))
    return visit


def close_visit(passage: GatePassage) -> Visit:
    """An exit closes the latest open visit of the plate (tolerant match), else is an orphan."""
    for candidates, match in (({passage.plate}, Match.EXACT),
                              (plates.probable_variants(passage.plate), Match.PROBABLE)):
        visit = Visit.objects.latest_open(candidates, before=passage.occurred_at)
        if visit is not None and visit.close(passage, match):
            return visit
    return Visit.objects.create(
        plate=passage.plate, vehicle=passage.vehicle, category=passage.category,
        status=Visit.Status.ORPHAN_EXIT, exit=passage, exited_at=passage.occurred_at,
        exit_date=passage.local_date, exit_match=Match.NONE)


def _alert(kind: str, severity: str, title: str, passage: GatePassage, event) -> None:
    raise_alert(kind, title=title, severity=severity, camera=passage.camera, plate=passage.plate,
                source_event=event, group_key=f"anpr|{kind}|{passage.plate}",
                cooldown_seconds=settings.ANPR_ALERT_COOLDOWN_SECONDS, at=passage.occurred_at,
                description=_passage_description(passage))


def _passage_description(passage: GatePassage) -> str:
    arabic = f" / {passage.plate_arabic}" if passage.plate_arabic else ""
    probable = _(" (probable match: one character differs)") if passage.match == Match.PROBABLE \
        else ""
    return _("Plate %(plate)s%(arabic)s read as %(raw)s at the %(gate)s gate%(probable)s.") % {
        "plate": passage.plate_display, "arabic": arabic, "raw": passage.raw_plate,
        "gate": passage.get_gate_display(), "probable": probable}


def _raise_plate_alerts(passage: GatePassage, identity: Identity, event) -> None:
    vehicle, gate, plate = identity.vehicle, passage.get_gate_display(), passage.plate_display
    if vehicle is None:
        _alert(Kind.UNKNOWN_VEHICLE, Severity.MEDIUM,
               _("Unregistered vehicle at %(gate)s gate: plate %(plate)s") % {
                   "gate": gate, "plate": plate}, passage, event)
    elif vehicle.is_blocked:
        _alert(Kind.BLOCKED_VEHICLE, Severity.CRITICAL,
               _("Blocked vehicle at %(gate)s gate: plate %(plate)s") % {
                   "gate": gate, "plate": plate}, passage, event)
    elif not vehicle.is_valid_on(passage.local_date):
        _alert(Kind.PERMIT_EXPIRED, Severity.HIGH,
               _("Vehicle outside its permit dates at %(gate)s gate: plate %(plate)s") % {
                   "gate": gate, "plate": plate}, passage, event)


def close_stale_visits(now: datetime | None = None) -> int:
    """Close visits open longer than the maximum stay; they count no duration."""
    now = now or timezone.now()
    hours = settings.ANPR_MAX_STAY_HOURS
    return Visit.objects.entered_before(now - timedelta(hours=hours)).close_stale(
        now, _("no exit seen within %(hours)d hours") % {"hours": hours})


def check_overstays(now: datetime | None = None) -> int:
    """Alert once per visit for vehicles inside longer than they are allowed."""
    now = now or timezone.now()
    raised = 0
    visits = (Visit.objects.open().filter(overstay_alerted_at=None, vehicle__isnull=False)
              .select_related("vehicle", "entry__camera"))
    for visit in visits:
        limit = visit.vehicle.allowed_stay_minutes()
        if limit is None or visit.entered_at > now - timedelta(minutes=limit):
            continue
        if Visit.objects.filter(pk=visit.pk, overstay_alerted_at=None).update(overstay_alerted_at=now):
            _raise_overstay(visit, limit, now)
            raised += 1
    return raised


def _raise_overstay(visit: Visit, limit: int, now: datetime) -> None:
    minutes = int((now - visit.entered_at).total_seconds() // 60)
    raise_alert(Kind.OVERSTAY, severity=Severity.MEDIUM, plate=visit.plate,
                camera=visit.entry.camera if visit.entry else None,
                title=_("Overstay: plate %(plate)s inside for %(minutes)d min (allowed %(limit)d)") % {
                    "plate": visit.plate_display, "minutes": minutes, "limit": limit},
                description=_("%(owner)s, %(category)s, entered %(entered)s.") % {
                    "owner": visit.vehicle.owner_name or "-",
                    "category": visit.vehicle.get_category_display(),
                    "entered": timezone.localtime(visit.entered_at).strftime("%Y-%m-%d %H:%M")},
                group_key=f"anpr|overstay|{visit.pk}", cooldown_seconds=0, at=now)


def vehicles_inside(floor=None) -> int | None:
    """Gate counter for parking's drift check: open visits, facility-wide only."""
    if floor is not None:
        return None
    return Visit.objects.open().count()


def today() -> date:
    """The facility's local day now."""
    return local_date(timezone.now())
