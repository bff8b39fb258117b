"""From a plate read at a gate to a passage, a visit and, when needed, an alert.

``record_plate_reads(events)`` is the dispatch handler (a batch of reads, in order) and
``record_plate_read(event)`` the same for one read, as edge ingest and tests use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import Kind, Severity
from alerts.services import AlertSpec, raise_alert, raise_alerts
from alerts.wording import each_language
from damanat import numbers

from . import plates
from .models import Gate, GatePassage, Match, PassageCategory, Vehicle, Visit, local_date
from .reads import PlateBatch, update_visits

if TYPE_CHECKING:
    from cameras.models import CameraEvent
    from parking.models import Floor

ENTRY_WORDS = {"entry", "in", "enter", "entrance", "forward", "approach", "coming"}
EXIT_WORDS = {"exit", "out", "leave", "leaving", "reverse", "away", "going"}


@dataclass(frozen=True)
class Identity:
    vehicle: Vehicle | None
    match: str

    @property
    def category(self) -> str:
        return self.vehicle.category if self.vehicle else PassageCategory.UNKNOWN


def gate_of(event: CameraEvent) -> str:
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


def identify(plate: str, registry: dict[str, Vehicle] | None = None) -> Identity:
    """Exact registry match first, else a single vehicle one confusable character away.

    ``registry`` (plate -> vehicle) is a batch's registry rows, read once for all its plates.
    """
    if not plate:
        return Identity(None, Match.NONE)
    candidates = {plate} | plates.probable_variants(plate)
    if registry is None:
        registry = registry_for([plate])
    found = [registry[candidate] for candidate in candidates if candidate in registry]
    exact = [vehicle for vehicle in found if vehicle.plate == plate]
    if exact:
        return Identity(exact[0], Match.EXACT)
    if len(found) == 1:
        return Identity(found[0], Match.PROBABLE)
    return Identity(None, Match.NONE)


def registry_for(read_plates: Iterable[str]) -> dict[str, Vehicle]:
    """The registry rows that could match any of these plates, exactly or probably."""
    candidates = set()
    for plate in read_plates:
        candidates |= {plate} | plates.probable_variants(plate)
    return {vehicle.plate: vehicle for vehicle in Vehicle.objects.filter(plate__in=candidates)}


def plate_partition_key(event: CameraEvent) -> str:
    """Every plate read shares one processing partition: a plate's entry is handled before
    its exit whichever gate, and whichever misread of it, each came through."""
    return "plate-reads"


def record_plate_reads(events: Sequence[CameraEvent]) -> None:
    """Dispatch handler for plate reads (ANPR, AccessControllerEvent), over a batch in
    arrival order: passages and visits as sets (anpr/reads.py), the alerts together."""
    _apply_reads(events)


def record_plate_read(event: CameraEvent) -> GatePassage | None:
    """Turn one plate read into a gate passage and visit (and, when needed, an alert)."""
    return _apply_reads([event])[0]


def _apply_reads(events: Sequence[CameraEvent]) -> list[GatePassage | None]:
    reads = [(event, gate_of(event), plates.canonical_plate(event.plate)) for event in events]
    read_plates = [(plate, event.occurred_at) for event, gate, plate in reads if gate and plate]
    batch = PlateBatch.load(read_plates)
    registry = registry_for({plate for plate, _moment in read_plates})
    specs: list[AlertSpec] = []
    passages = [
        _record(batch, event, gate, plate, registry, specs) if gate else None for event, gate, plate in reads
    ]
    batch.save()
    raise_alerts(specs)
    return passages


def _record(
    batch: PlateBatch, event: CameraEvent, gate: str, plate: str, registry: dict, specs: list
) -> GatePassage:
    moment = event.occurred_at
    if plate:
        repeated = batch.passage_around(gate, {plate} | plates.probable_variants(plate), moment)
        if repeated is not None:
            batch.add_read(repeated, moment)
            return repeated
    identity = identify(plate, registry)
    passage = GatePassage(
        gate=gate,
        camera=event.camera,
        event=event,
        plate=plate,
        raw_plate=(event.original_plate or event.plate)[:64],
        confidence=event.plate_confidence,
        vehicle=identity.vehicle,
        match=identity.match,
        category=identity.category,
        occurred_at=moment,
        last_read_at=moment,
    )
    batch.add_passage(passage)
    if plate:
        update_visits(batch, passage, identity)
        specs += _plate_alerts(passage, identity, event)
    return passage


def _alert(kind: str, severity: str, passage: GatePassage, event: CameraEvent) -> AlertSpec:
    return AlertSpec(
        kind,
        title="",
        severity=severity,
        camera=passage.camera,
        plate=passage.plate,
        source_event=event,
        group_key=f"anpr|{kind}|{passage.plate}",
        cooldown_seconds=settings.ANPR_ALERT_COOLDOWN_SECONDS,
        at=passage.occurred_at,
        params=_passage_params(passage),
    )


def _passage_params(passage: GatePassage) -> dict:
    return {
        "plate": {"en": passage.plate_display, "ar": passage.plate_arabic or passage.plate_display},
        "arabic": passage.plate_arabic,
        "raw": passage.raw_plate,
        "gate": each_language(passage.get_gate_display),
        "probable": passage.match == Match.PROBABLE,
    }


def _plate_alerts(passage: GatePassage, identity: Identity, event: CameraEvent) -> list[AlertSpec]:
    vehicle = identity.vehicle
    if vehicle is None:
        return [_alert(Kind.UNKNOWN_VEHICLE, Severity.MEDIUM, passage, event)]
    if vehicle.is_blocked:
        return [_alert(Kind.BLOCKED_VEHICLE, Severity.CRITICAL, passage, event)]
    if not vehicle.is_valid_on(passage.local_date):
        return [_alert(Kind.PERMIT_EXPIRED, Severity.HIGH, passage, event)]
    return []


def close_stale_visits(now: datetime | None = None) -> int:
    """Close visits open longer than the maximum stay; they count no duration."""
    now = now or timezone.now()
    hours = settings.ANPR_MAX_STAY_HOURS
    return Visit.objects.entered_before(now - timedelta(hours=hours)).close_stale(
        now, _("no exit seen within %(hours)d hours") % {"hours": hours}
    )


def check_overstays(now: datetime | None = None) -> int:
    """Alert once per visit for vehicles inside longer than they are allowed."""
    now = now or timezone.now()
    raised = 0
    visits = (
        Visit.objects.open()
        .filter(overstay_alerted_at=None, vehicle__isnull=False)
        .select_related("vehicle", "entry__camera")
    )
    for visit in visits:
        limit = visit.vehicle.allowed_stay_minutes()
        if not overstayed(visit.entered_at, limit, now):
            continue
        if Visit.objects.filter(pk=visit.pk, overstay_alerted_at=None).update(overstay_alerted_at=now):
            _raise_overstay(visit, limit, now)
            raised += 1
    return raised


def overstayed(entered_at: datetime, limit: int | None, moment: datetime) -> bool:
    """Whether a vehicle inside since ``entered_at`` is past its limit at ``moment``."""
    return limit is not None and entered_at <= moment - timedelta(minutes=limit)


def _raise_overstay(visit: Visit, limit: int, now: datetime) -> None:
    minutes = int((now - visit.entered_at).total_seconds() // 60)
    raise_alert(
        Kind.OVERSTAY,
        severity=Severity.MEDIUM,
        plate=visit.plate,
        camera=visit.entry.camera if visit.entry else None,
        params={
            "plate": {
                "en": visit.plate_display,
                "ar": plates.arabic_display(visit.plate) or visit.plate_display,
            },
            "minutes": minutes,
            "limit": limit,
            "owner": visit.vehicle.owner_name or "-",
            "category": each_language(visit.vehicle.get_category_display),
            "entered": each_language(lambda: numbers.when(visit.entered_at, "Y-m-d H:i")),
        },
        group_key=f"anpr|overstay|{visit.pk}",
        cooldown_seconds=0,
        at=now,
    )


def vehicles_inside(floor: Floor | None = None) -> int | None:
    """Gate counter for parking's drift check: open visits, facility-wide only."""
    if floor is not None:
        return None
    return Visit.objects.open().count()


def today() -> date:
    """The facility's local day now."""
    return local_date(timezone.now())
