"""The backtest replays, one per rule (alerts.backtest.Replay subclasses): apps register
theirs in ``ready()``; the run model and the form read them here."""

from __future__ import annotations

_replays: dict[str, type] = {}


def register_replay(replay: type) -> None:
    _replays[replay.rule] = replay


def replays() -> dict[str, type]:
    return dict(_replays)
