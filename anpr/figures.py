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
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField
from django.utils import timezone

from .models import DayFigure, Gate, GatePassage, PassageCategory, Visit, local_date

if TYPE_CHECKING:
    from django.db.models import QuerySet


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
        return {
            "visits": self.visits,
            "avg_parking_seconds": round(self.avg_seconds),
            "avg_parking_minutes": _minutes(self.avg_seconds),
            "median_parking_seconds": round(self.median_seconds),
            "median_parking_minutes": _minutes(self.median_seconds),
        }


@dataclass
class Counts:
    entries: int = 0
    exits: int = 0
    durations: Durations = field(default_factory=Durations)

    def as_dict(self) -> dict:
        return {"entries": self.entries, "exits": self.exits, **self.durations.as_dict()}

    @staticmethod
    def from_dict(figures: dict) -> Counts:
        return Counts(
            figures["entries"],
            figures["exits"],
            Durations(figures["visits"], figures["avg_parking_seconds"], figures["median_parking_seconds"]),
        )


@dataclass
class Day(Counts):
    """A facility day: entries, exits and parking time, in total and by vehicle category."""

    day: date | None = None
    by_category: dict[str, Counts] = field(default_factory=dict)

    def category(self, name: str) -> Counts:
        return self.by_category.setdefault(name, Counts())

    def as_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            **super().as_dict(),
            "by_category": {name: counts.as_dict() for name, counts in self.by_category.items()},
        }

    @staticmethod
    def from_dict(figures: dict) -> Day:
        total = Counts.from_dict(figures)
        return Day(
            total.entries,
            total.exits,
            total.durations,
            date.fromisoformat(figures["date"]),
            {name: Counts.from_dict(c) for name, c in figures["by_category"].items()},
        )


def _duration_rows(visits: QuerySet[Visit], group: list[str]) -> list[dict]:
    """avg / median / count of duration per group; median in SQL on PostgreSQL."""
    if connection.vendor == "postgresql":
        return list(
            visits.values(*group)
            .annotate(visits=Count("id"), avg=Avg("duration_seconds"), median=Median("duration_seconds"))
            .order_by()
        )
    samples: dict[tuple, list[int]] = defaultdict(list)
    for row in visits.values(*group, "duration_seconds"):
        samples[tuple(row[g] for g in group)].append(row["duration_seconds"])
    return [
        {
            **dict(zip(group, key, strict=True)),
            "visits": len(values),
            "avg": sum(values) / len(values),
            "median": float(median(values)),
        }
        for key, values in samples.items()
    ]


def _durations(row: dict | None) -> Durations:
    if not row:
        return Durations()
    return Durations(row["visits"], float(row["avg"] or 0), float(row["median"] or 0))


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def _live(first: date, last: date) -> dict[date, Day]:
    """Figures straight from passages and visits (today, and past days not yet kept)."""
    days = {day: Day(day=day) for day in _span(first, last)}
    passages = (
        GatePassage.objects.filter(local_date__gte=first, local_date__lte=last)
        .values("local_date", "gate", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in passages:
        day, key = days[row["local_date"]], "entries" if row["gate"] == Gate.ENTRY else "exits"
        for counts in (day, day.category(row["category"])):
            setattr(counts, key, getattr(counts, key) + row["n"])
    closed = Visit.objects.completed_between(first, last)
    for row in _duration_rows(closed, ["exit_date"]):
        days[row["exit_date"]].durations = _durations(row)
    for row in _duration_rows(closed, ["exit_date", "category"]):
        days[row["exit_date"]].category(row["category"]).durations = _durations(row)
    return days


def _kept(first: date, last: date) -> dict[date, dict]:
    """Finished days from DayFigure, computing and keeping the ones missing."""
    days = dict(DayFigure.objects.filter(day__gte=first, day__lte=last).values_list("day", "figures"))
    missing = [day for day in _span(first, last) if day not in days]
    if missing:
        computed = _live(missing[0], missing[-1])
        fresh = {day: computed[day].as_dict() for day in missing}
        DayFigure.objects.bulk_create(
            [DayFigure(day=day, figures=figures) for day, figures in fresh.items()], ignore_conflicts=True
        )
        days.update(fresh)
    return days


def series_documents(first: date, last: date) -> list[dict]:
    """One dict per date from first to last, as the range endpoint answers (the fast path)."""
    today = local_date(timezone.now())
    days: dict[date, dict] = {}
    if first < today:
        days.update(_kept(first, min(last, today - timedelta(days=1))))
    if last >= today:
        live = _live(max(first, today), last)
        days.update({day: figures.as_dict() for day, figures in live.items()})
    return [days[day] for day in _span(first, last)]


def day_series(first: date, last: date) -> list[Day]:
    """One Day per date from first to last, with figures by vehicle category."""
    return [Day.from_dict(figures) for figures in series_documents(first, last)]


def gate_counts(day: date) -> dict[str, int]:
    figures = series_documents(day, day)[0]
    return {"entries": figures["entries"], "exits": figures["exits"]}


def currently_parked() -> int:
    return Visit.objects.open().count()


def parking_time(day: date) -> Durations:
    return day_series(day, day)[0].durations


def daily(day: date) -> dict:
    figures = dict(series_documents(day, day)[0])
    figures.pop("by_category")
    return {"date": day.isoformat(), "total_vehicles": figures["entries"], **figures}


CSV_COLUMNS = [
    "date",
    "category",
    "entries",
    "exits",
    "visits",
    "avg_parking_minutes",
    "median_parking_minutes",
]


def series_csv_rows(days: list[dict]) -> list[list]:
    """Rows for the range CSV: one total line per day, then one per category seen."""
    rows = []
    for day in days:
        rows.append(
            [
                day["date"],
                "all",
                day["entries"],
                day["exits"],
                day["visits"],
                day["avg_parking_minutes"],
                day["median_parking_minutes"],
            ]
        )
        for name in PassageCategory.values:
            figures = day["by_category"].get(name)
            if figures:
                rows.append(
                    [
                        day["date"],
                        name,
                        figures["entries"],
                        figures["exits"],
                        figures["visits"],
                        figures["avg_parking_minutes"],
                        figures["median_parking_minutes"],
                    ]
                )
    return rows


def parking_time_between(first: date, last: date) -> Durations:
    """Average and median parking time of the visits that ended from ``first`` to ``last``."""
    visits = Visit.objects.completed_between(first, last)
    if connection.vendor == "postgresql":
        row = visits.aggregate(
            visits=Count("id"), avg=Avg("duration_seconds"), median=Median("duration_seconds")
        )
        return _durations(row) if row["visits"] else Durations()
    values = list(visits.values_list("duration_seconds", flat=True))
    if not values:
        return Durations()
    return Durations(len(values), sum(values) / len(values), float(median(values)))
