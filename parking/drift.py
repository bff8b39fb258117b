"""Counts of vehicles inside, from sources other than zone events (gate passages).

The anpr app registers a gate counter in its AppConfig.ready(); the drift check
compares it with the zone-based figure. A counter takes a Floor (or None for the
whole facility) and returns the number of vehicles inside, or None when it has no
figure for that floor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from .models import Floor

GateCounter = Callable[[object], "int | None"]
_gate_counters: list[GateCounter] = []


def register_gate_counter(counter: GateCounter) -> None:
    if counter not in _gate_counters:
        _gate_counters.append(counter)


def gate_counters() -> list[GateCounter]:
    return list(_gate_counters)


@dataclass(frozen=True)
class Drift:
    floor: object  # a Floor, or None for the whole facility
    counted: int
    gate: int

    @property
    def difference(self) -> int:
        return self.counted - self.gate


def _counted_figures() -> list[tuple[Floor | None, int]]:
    from .models import Floor

    floors = list(Floor.objects.active().with_occupancy())
    # The raw count, overflow included: the gates saw every vehicle, not only those with a slot.
    return [(floor, floor.counted) for floor in floors] + [(None, sum(f.counted for f in floors))]


def gates_installed() -> bool:
    """Gate figures mean something only once a gate camera is in service (phase 2)."""
    from django.db.models import Q

    from cameras.models import Camera

    gate = Q(role__in=[Camera.Role.ENTRY_GATE, Camera.Role.EXIT_GATE]) | ~Q(gate=Camera.Gate.NONE)
    return Camera.objects.active().filter(gate).exists()


def find_drifts(tolerance: int | None = None) -> list[Drift]:
    """Every floor (and the facility) where a gate counter disagrees by more than the tolerance."""
    limit = settings.OCCUPANCY_DRIFT_TOLERANCE if tolerance is None else tolerance
    drifts: list[Drift] = []
    if not gate_counters() or not gates_installed():
        return drifts
    for floor, counted in _counted_figures():
        for counter in gate_counters():
            gate = counter(floor)
            if gate is not None and abs(counted - gate) > limit:
                drifts.append(Drift(floor, counted, gate))
    return drifts


def announce_drifts(tolerance: int | None = None, now: datetime | None = None) -> list[Drift]:
    """The periodic check: drifts found are announced (alerts raises counter_drift alerts)."""
    from .signals import counters_drifted

    drifts = find_drifts(tolerance)
    if drifts:
        counters_drifted.send(sender=Drift, drifts=drifts, at=now)
    return drifts
