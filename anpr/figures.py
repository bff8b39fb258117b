"""Entry, exit and parking-time figures per facility-local day (UC1, UC2).

Every day is the facility's local day: passages and visits store their local date
when written, so a day's figures are an indexed equality, never a time-zone function.
Entries and exits count gate passages (unread plates included: a car went through);
parking time counts closed visits only (stale visits and orphan exits have no duration).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField

from .models import Gate, GatePassage, PassageCategory, Visit


class Median(Aggregate):
    """PostgreSQL's exact median (continuous percentile)."""

    function = "PERCENTILE_CONT"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _minutes(seconds: float | None) -> float:
    return round((seconds or 0) / 60, 1)


@dataclass
class Durations:
    visits: int = 0
    avg_seconds: float = 0.0
    median_seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"visits": self.visits,
                "avg_parking_seconds": round(self.avg_seconds),
                "avg_parking_minutes": _minutes(self.avg_seconds),
                "median_parking_seconds": round(self.median_seconds),
                "median_parking_minutes": _minutes(self.median_seconds)}


@dataclass
class Day:
    day: date
    entries: int = 0
    exits: int = 0
    durations: Durations = field(default_factory=Durations)
    by_category: dict = field(default_factory=dict)

    def category(self, name: str) -> dict:
        return self.by_category.setdefault(
            name, {"entries": 0, "exits": 0, **Durations().as_dict()})

    def as_dict(self) -> dict:
        return {"date": self.day.isoformat(), "entries": self.entries, "exits": self.exits,
                **self.durations.as_dict(), "by_category": self.by_category}


def _duration_rows(visits, group: list[str]) -> list[dict]:
    """avg / median / count of duration per group; median in SQL on PostgreSQL."""
    if connection.vendor == "postgresql":
        return list(visits.values(*group).annotate(
            visits=Count("id"), avg=Avg("duration_seconds"), median=Median("duration_seconds"))
            .order_by())
    samples: dict[tuple, list[int]] = defaultdict(list)
    for row in visits.values(*group, "duration_seconds"):
        samples[tuple(row[g] for g in group)].append(row["duration_seconds"])
    return [{**dict(zip(group, key, strict=True)), "visits": len(values),
             "avg": sum(values) / len(values), "median": float(median(values))}
            for key, values in samples.items()]


def _durations(row: dict | None) -> Durations:
    if not row:
        return Durations()
    return Durations(row["visits"], float(row["avg"] or 0), float(row["median"] or 0))


def gate_counts(day: date) -> dict[str, int]:
    rows = GatePassage.objects.on_day(day).values("gate").annotate(n=Count("id")).order_by()
    counts = {row["gate"]: row["n"] for row in rows}
    return {"entries": counts.get(Gate.ENTRY, 0), "exits": counts.get(Gate.EXIT, 0)}


def currently_parked() -> int:
    return Visit.objects.open().count()


def parking_time(day: date) -> Durations:
    rows = _duration_rows(Visit.objects.completed_on(day), ["exit_date"])
    return _durations(rows[0] if rows else None)


def daily(day: date) -> dict:
    counts = gate_counts(day)
    return {"date": day.isoformat(), "total_vehicles": counts["entries"], **counts,
            **parking_time(day).as_dict()}


def day_series(first: date, last: date) -> list[Day]:
    """One Day per date from first to last, with figures by vehicle category."""
    days = {first + timedelta(n): Day(first + timedelta(n)) for n in range((last - first).days + 1)}
    passages = (GatePassage.objects.filter(local_date__gte=first, local_date__lte=last)
                .values("local_date", "gate", "category").annotate(n=Count("id")).order_by())
    for row in passages:
        day, key = days[row["local_date"]], "entries" if row["gate"] == Gate.ENTRY else "exits"
        setattr(day, key, getattr(day, key) + row["n"])
        day.category(row["category"])[key] += row["n"]
    closed = Visit.objects.completed_between(first, last)
    for row in _duration_rows(closed, ["exit_date"]):
        days[row["exit_date"]].durations = _durations(row)
    for row in _duration_rows(closed, ["exit_date", "category"]):
        days[row["exit_date"]].category(row["category"]).update(_durations(row).as_dict())
    return list(days.values())


CSV_COLUMNS = ["date", "category", "entries", "exits", "visits", "avg_parking_minutes",
               "median_parking_minutes"]


def series_csv_rows(days: list[dict]) -> list[list]:
    """Rows for the range CSV: one total line per day, then one per category seen."""
    rows = []
    for day in days:
        rows.append([day["date"], "all", day["entries"], day["exits"], day["visits"],
                     day["avg_parking_minutes"], day["median_parking_minutes"]])
        for name in PassageCategory.values:
            figures = day["by_category"].get(name)
            if figures:
                rows.append([day["date"], name, figures["entries"], figures["exits"],
                             figures["visits"], figures["avg_parking_minutes"],
                             figures["median_parking_minutes"]])
    return rows


def parking_time_between(first: date, last: date) -> Durations:
    """Average and median parking time of the visits that ended from ``first`` to ``last``."""
    visits = Visit.objects.completed_between(first, last)
    if connection.vendor == "postgresql":
        row = visits.aggregate(visits=Count("id"), avg=Avg("duration_seconds"),
                               median=Median("duration_seconds"))
        return _durations(row if row["visits"] else None)
    values = list(visits.values_list("duration_seconds", flat=True))
    if not values:
        return Durations()
    return Durations(len(values), sum(values) / len(values), float(median(values)))
