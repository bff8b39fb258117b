"""Demo registry (plates in both scripts) and a week of visits for the dashboards."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cameras.models import Camera

from .misreads import queue_exits
from .models import Gate, GatePassage, Match, Vehicle, Visit, local_date
from .plates import canonical_plate

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

    from cameras.models import Camera

DEMO_VEHICLES = [
    {
        "plate": "ن ه و ٤٥٦٧",
        "owner_name": "أحمد السيد / Ahmed Al-Sayed",
        "category": "employee",
        "employee_id": "EMP-042",
    },
    {
        "plate": "ABC-1234",
        "owner_name": "Ahmed Al-Sayed (seed)",
        "category": "employee",
        "employee_id": "EMP-001",
    },
    {
        "plate": "XYZ-5678",
        "owner_name": "Visitor Pass 1",
        "category": "visitor",
        "employee_id": "VIS-001",
        "max_stay_minutes": 180,
    },
    {
        "plate": "ر س ص ٥٦٧٨",
        "owner_name": "شركة الصيانة / Maintenance Co.",
        "category": "contractor",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
    },
    {"plate": "KSA 1", "owner_name": "VIP Guest", "category": "vip"},
    {
        "plate": "د ط ع ٩٩٩",
        "owner_name": "Banned vehicle",
        "category": "visitor",
        "list": "blocked",
        "notes": "Blocked after incident report.",
    },
]
UNREGISTERED = ["GKL4321", "NHU808", "TVE2468", *(f"XDR{1000 + n * 37}" for n in range(24))]
DAYS = 7
# Two cars whose exit camera misread them, for the misread inbox: (plate, read at the exit,
# hours inside, hours since they left).
MISREADS = [("SGR3517", "SGD3S17", 3, 1), ("JTU4488", "JTV4488", 5, 2)]


def _vehicles() -> list[Vehicle]:
    vehicles = []
    for spec in DEMO_VEHICLES:
        fields = {key: value for key, value in spec.items() if key != "plate"}
        for key in ("valid_from", "valid_until"):
            if key in fields:
                fields[key] = date.fromisoformat(fields[key])
        vehicle, _ = Vehicle.objects.update_or_create(plate=canonical_plate(spec["plate"]), defaults=fields)
        vehicles.append(vehicle)
    return vehicles


def _passage(
    gate: str, camera: Camera | None, plate: str, moment: datetime, vehicle: Vehicle | None
) -> GatePassage:
    return GatePassage.objects.create(
        gate=gate,
        camera=camera,
        plate=plate,
        raw_plate=plate,
        vehicle=vehicle,
        match=Match.EXACT if vehicle else Match.NONE,
        category=vehicle.category if vehicle else "unknown",
        occurred_at=moment,
        confidence=90,
    )


def _visit(
    cameras: Sequence[Camera | None],
    plate: str,
    vehicle: Vehicle | None,
    entered: datetime,
    minutes: int | None,
    left_at: datetime | None = None,
) -> None:
    entry = _passage(Gate.ENTRY, cameras[0], plate, entered, vehicle)
    visit = Visit.objects.create(
        plate=plate,
        vehicle=vehicle,
        entry=entry,
        entered_at=entered,
        entry_date=local_date(entered),
        category=vehicle.category if vehicle else "unknown",
    )
    if minutes is not None:
        left_at = entered + timedelta(minutes=minutes)
    if left_at is not None:
        visit.close(_passage(Gate.EXIT, cameras[1], plate, left_at, vehicle))


def _arrival_gap(moment: datetime, rng: random.Random) -> timedelta:
    """Minutes to the next arrival: every ~20 min by day, every ~90 min at night."""
    hour = timezone.localtime(moment).hour
    return timedelta(minutes=rng.uniform(10, 30) if 7 <= hour < 20 else rng.uniform(45, 135))


def _history(cameras: Sequence[Camera | None], vehicles: list[Vehicle]) -> int:
    """Visits from a week ago up to now, at any hour, so today always has traffic."""
    rng = random.Random(5)  # noqa: S311 — demo figures, stable across runs
    now = timezone.now()
    pool = [(v.plate, v) for v in vehicles if not v.is_blocked] + [(p, None) for p in UNREGISTERED]
    free_at = {plate: now - timedelta(days=DAYS) for plate, _ in pool}
    moment, count = now - timedelta(days=DAYS), 0
    while moment < now:
        free = [(plate, v) for plate, v in pool if free_at[plate] <= moment]
        if free:
            plate, vehicle = rng.choice(free)
            minutes = rng.randint(20, 540) if vehicle else rng.randint(10, 120)
            left = moment + timedelta(minutes=minutes)
            _visit(cameras, plate, vehicle, moment, minutes if left < now else None)
            free_at[plate] = left if left < now else now
            count += 1
        moment += _arrival_gap(moment, rng)
    return count + _since_midnight(cameras, pool, free_at, now)


def _since_midnight(
    cameras: Sequence[Camera | None],
    pool: Sequence[tuple[str, Vehicle | None]],
    free_at: dict[str, datetime],
    now: datetime,
) -> int:
    """One arrival and one departure after the facility's midnight, whatever the hour."""
    midnight = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    earlier = midnight - timedelta(hours=2)
    free = [(plate, v) for plate, v in pool if free_at[plate] <= earlier]
    if len(free) < 2:
        return 0
    elapsed = now - midnight
    (came, came_vehicle), (went, went_vehicle) = free[:2]
    _visit(cameras, came, came_vehicle, now - elapsed / 4, None)
    _visit(cameras, went, went_vehicle, earlier, minutes=None, left_at=now - elapsed / 3)
    return 2


def _misreads(cameras: Sequence[Camera | None], now: datetime) -> int:
    """Entries whose exit was misread: an open visit, an exit without entry, an inbox item."""
    for plate, misread, hours, ago in MISREADS:
        left = now - timedelta(hours=ago)
        _visit(cameras, plate, None, left - timedelta(hours=hours), None)
        exit_ = _passage(Gate.EXIT, cameras[1], misread, left, None)
        Visit.objects.create(
            plate=misread,
            status=Visit.Status.ORPHAN_EXIT,
            exit=exit_,
            exited_at=left,
            exit_date=local_date(left),
        )
        queue_exits([exit_])
    return len(MISREADS)


def load(out: OutputWrapper) -> None:
    vehicles = _vehicles()
    cameras = (
        Camera.objects.filter(code="CAM-ENTRY").first(),
        Camera.objects.filter(code="CAM-EXIT").first(),
    )
    plates = [v.plate for v in vehicles] + UNREGISTERED + [p for pair in MISREADS for p in pair[:2]]
    # Demo visits have no camera event; recreate them so a rerun gives the same picture.
    Visit.objects.filter(plate__in=plates, entry__event=None).delete()
    GatePassage.objects.filter(plate__in=plates, event=None).delete()
    visits = _history(cameras, vehicles)
    misread = _misreads(cameras, timezone.now())
    out.write(
        f"anpr: {len(vehicles)} vehicles (1 blocked), {visits} visits over {DAYS + 1} days, "
        f"{misread} misread exits in the inbox"
    )
