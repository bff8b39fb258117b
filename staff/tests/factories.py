"""Small builders for gate passages, visits and snapshots, as the anpr and parking apps store them."""

from __future__ import annotations

from datetime import datetime, timedelta

from anpr.models import Gate, GatePassage, Vehicle, Visit, local_date
from cameras.models import Camera


def gate_cameras() -> tuple[Camera, Camera]:
    entry, _ = Camera.objects.get_or_create(
        code="CAM-ENTRY", defaults={"ip_address": "10.0.0.104", "role": Camera.Role.ENTRY_GATE}
    )
    exit_, _ = Camera.objects.get_or_create(
        code="CAM-EXIT", defaults={"ip_address": "10.0.0.105", "role": Camera.Role.EXIT_GATE}
    )
    return entry, exit_


def passage(
    plate: str, gate: str, at: datetime, category: str = "unknown", event=None, vehicle: Vehicle | None = None
) -> GatePassage:
    entry, exit_ = gate_cameras()
    return GatePassage.objects.create(
        gate=gate,
        camera=entry if gate == Gate.ENTRY else exit_,
        plate=plate,
        raw_plate=plate,
        occurred_at=at,
        category=category,
        event=event,
        vehicle=vehicle,
        confidence=93,
    )


def visit(
    plate: str,
    entered: datetime,
    minutes: int | None,
    category: str = "unknown",
    vehicle: Vehicle | None = None,
) -> Visit:
    """A visit with its passages; closed after ``minutes``, or still open when None."""
    came = passage(plate, Gate.ENTRY, entered, category, vehicle=vehicle)
    fields = {
        "plate": plate,
        "category": category,
        "entry": came,
        "entered_at": entered,
        "entry_date": local_date(entered),
        "vehicle": vehicle,
    }
    if minutes is None:
        return Visit.objects.create(status=Visit.Status.OPEN, **fields)
    left = entered + timedelta(minutes=minutes)
    went = passage(plate, Gate.EXIT, left, category, vehicle=vehicle)
    return Visit.objects.create(
        status=Visit.Status.CLOSED,
        exit=went,
        exited_at=left,
        exit_date=local_date(left),
        duration_seconds=minutes * 60,
        **fields,
    )
