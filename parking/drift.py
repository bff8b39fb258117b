"""Counts of vehicles inside, from sources other than zone events (gate passages).

The anpr app registers a gate counter in its AppConfig.ready(); the drift check
compares it with the zone-based figure. A counter takes a Floor (or None for the
whole facility) and returns the number of vehicles inside, or None when it has no
figure for that floor.
"""
from __future__ import annotations

from collections.abc import Callable

GateCounter = Callable[[object], "int | None"]
_gate_counters: list[GateCounter] = []


def register_gate_counter(counter: GateCounter) -> None:
    if counter not in _gate_counters:
        _gate_counters.append(counter)


def gate_counters() -> list[GateCounter]:
    return list(_gate_counters)
