"""Demo registry (plates in both scripts) and a week of visits for the dashboards."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cameras.models import Camera

from .models import Gate, GatePassage, Match, Vehicle, Visit, local_date
from .plates import canonical_plate

DEMO_VEHICLES = [
    {"plate": "ن ه و ٤٥٦٧", "owner_name": "أحمد السيد / Ahmed Al-Sayed", "category": "employee",
     "employee_id": "EMP-042"},
    {"plate": "ABC-1234", "owner_name": "Ahmed Al-Sayed (seed)", "category": "employee",
     "employee_id": "EMP-001"},
    {"plate": "XYZ-5678", "owner_name": "Visitor Pass 1", "category": "visitor",
     "employee_id": "VIS-001", "max_stay_minutes": 180},
    {"plate": "ر س ص ٥٦٧٨", "owner_name": "شركة الصيانة / Maintenance Co.", "category": "contractor",
     "valid_from": "2026-01-01", "valid_until": "2026-12-31"},
    {"plate": "KSA 1", "owner_name": "VIP Guest", "category": "vip"},
    {"plate": "د ط ع ٩٩٩", "owner_name": "Banned vehicle", "category": "visitor", "list": "blocked",
     "notes": "Blocked after incident report."},
]
UNREGISTERED = ["GKL4321", "NHU808", "TVE2468"]
DAYS = 7


def _vehicles() -> list[Vehicle]:
    vehicles = []
    for spec in DEMO_VEHICLES:
        fields = {key: value for key, value in spec.items() if key != "plate"}
        for key in ("valid_from", "valid_until"):
            if key in fields:
                fields[key] = date.fromisoformat(fields[key])
        vehicle, _ = Vehicle.objects.update_or_create(plate=canonical_plate(spec["plate"]),
                                                      defaults=fields)
        vehicles.append(vehicle)
    return vehicles


def _passage(gate: str, camera, plate: str, moment: datetime, vehicle) -> GatePassage:
    return GatePassage.objects.create(
        gate=gate, camera=camera, plate=plate, raw_plate=plate, vehicle=vehicle,
        match=Match.EXACT if vehicle else Match.NONE,
        category=vehicle.category if vehicle else "unknown", occurred_at=moment, confidence=90)


def _visit(cameras, plate: str, vehicle, entered: datetime, minutes: int | None) -> None:
    entry = _passage(Gate.ENTRY, cameras[0], plate, entered, vehicle)
    visit = Visit.objects.create(plate=plate, vehicle=vehicle, entry=entry, entered_at=entered,
                                 entry_date=local_date(entered),
                                 category=vehicle.category if vehicle else "unknown")
    if minutes is not None:
        visit.close(_passage(Gate.EXIT, cameras[1], plate, entered + timedelta(minutes=minutes),
                             vehicle))


def _week(cameras, vehicles: list[Vehicle]) -> int:
    rng = random.Random(5)  # noqa: S311 — demo figures, stable across runs
    today = timezone.localdate()
    allowed = [v for v in vehicles if not v.is_blocked]
    count = 0
    for back in range(DAYS, -1, -1):
        day = today - timedelta(days=back)
        for index, vehicle in enumerate(allowed + [None] * len(UNREGISTERED)):
            plate = vehicle.plate if vehicle else UNREGISTERED[index - len(allowed)]
            start = datetime.combine(day, time(7 + index, rng.randint(0, 59)),
                                     tzinfo=timezone.get_current_timezone())
            if start > timezone.now():
                continue
            minutes = rng.randint(20, 540) if vehicle else rng.randint(10, 120)
            still_inside = back == 0 and start + timedelta(minutes=minutes) > timezone.now()
            _visit(cameras, plate, vehicle, start, None if still_inside else minutes)
            count += 1
    return count


def load(out) -> None:
    vehicles = _vehicles()
    cameras = (Camera.objects.filter(code="CAM-ENTRY").first(),
               Camera.objects.filter(code="CAM-EXIT").first())
    plates = [v.plate for v in vehicles] + UNREGISTERED
    # Demo visits have no camera event; recreate them so a rerun gives the same picture.
    Visit.objects.filter(plate__in=plates, entry__event=None).delete()
    GatePassage.objects.filter(plate__in=plates, event=None).delete()
    visits = _week(cameras, vehicles)
    out.write(f"anpr: {len(vehicles)} vehicles (1 blocked), {visits} visits over {DAYS + 1} days")
