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
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Floor

GateCounter = Callable[[object], "int | None"]
_gate_counters: list[GateCounter] = []
# A drift alert for the same floor groups its repeats for this long instead of reopening.
DRIFT_ALERT_COOLDOWN_SECONDS = 6 * 3600


def register_gate_counter(counter: GateCounter) -> None:
    if counter not in _gate_counters:
        _gate_counters.append(counter)


def unregister_gate_counter(counter: GateCounter) -> None:
    if counter in _gate_counters:
        _gate_counters.remove(counter)


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


def raise_drift_alerts(tolerance: int | None = None, now: datetime | None = None) -> list[Drift]:
    from alerts.choices import Kind, Severity
    from alerts.services import raise_alert
    from alerts.wording import each_language

    drifts = find_drifts(tolerance)
    for drift in drifts:
        where = each_language(lambda floor=drift.floor: str(floor) if floor else _("the facility"))
        raise_alert(
            Kind.COUNTER_DRIFT, severity=Severity.MEDIUM, at=now,
            group_key=f"counter_drift|floor:{getattr(drift.floor, 'pk', 'all')}",
            cooldown_seconds=DRIFT_ALERT_COOLDOWN_SECONDS,
            params={"where": where, "counted": drift.counted, "gate": drift.gate,
                    "difference": drift.difference})
    return drifts
