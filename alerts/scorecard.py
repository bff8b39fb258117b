"""Alert quality scorecard: are the alerts worth reading?

Over a period (alerts first seen in it), per rule (the alert's kind), camera, zone and
detector service: how many were raised, what the closed ones turned out to be, the
precision (true alerts over those judged true, false positive or duplicate; test alerts
are left out), and the median time to acknowledge and to resolve. Per guard: how many
they acknowledged and closed. All of it is grouped in PostgreSQL, one query a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, CharField, Count, F, FloatField, Func, Q, Value, When
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from .choices import Kind, Outcome
from .models import Alert

if TYPE_CHECKING:
    from django.db.models import QuerySet

JUDGED = (Outcome.TRUE, Outcome.FALSE_POSITIVE, Outcome.DUPLICATE)
DIMENSIONS = {
    "rule": "kind",
    "camera": "camera__code",
    "zone": "zone_label",
    "detector": "detector_name",
}
DETECTOR_KINDS = (Kind.SUSPICIOUS_ACTIVITY, Kind.CRIME)


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def seconds_between(start: str, end: str) -> Func:
    return Func(F(end) - F(start), template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField())


@dataclass
class Row:
    key: str
    raised: int
    closed: int
    true: int
    false_positive: int
    duplicate: int
    test: int
    median_ack_seconds: float | None
    median_resolve_seconds: float | None

    @property
    def judged(self) -> int:
        return self.true + self.false_positive + self.duplicate

    @property
    def precision(self) -> float | None:
        return round(self.true / self.judged * 100, 1) if self.judged else None

    def as_dict(self) -> dict:
        return {**self.__dict__, "precision": self.precision}


@dataclass
class Scorecard:
    since: datetime
    until: datetime
    tables: dict[str, list[Row]]
    guards: list[dict]
    suggestions: list[str] = field(default_factory=list)


def alerts_between(since: datetime, until: datetime) -> QuerySet[Alert]:
    """The period's alerts, with the zone label and the detector service behind them: a crime
    alert's reporting service, or for suspicious activity each service watching the camera."""
    return Alert.objects.filter(first_seen_at__gte=since, first_seen_at__lt=until).annotate(
        zone_label=Case(
            When(
                zone__isnull=False,
                then=Concat(
                    Coalesce("camera__code", Value("")), Value(" "), "zone__code", output_field=CharField()
                ),
            )
        ),
        detector_name=Case(
            When(kind=Kind.CRIME, then=F("crime_report__detector__name")),
            When(kind=Kind.SUSPICIOUS_ACTIVITY, then=F("camera__detectors__name")),
        ),
    )


def _table(alerts: QuerySet[Alert], column: str) -> list[Row]:
    counts = {f"n_{outcome}": Count("id", filter=Q(outcome=outcome)) for outcome in Outcome.values}
    rows = (
        alerts.exclude(**{f"{column}__isnull": True})
        .values(column)
        .order_by(column)
        .annotate(
            raised=Count("id"),
            closed=Count("id", filter=Q(resolved_at__isnull=False)),
            ack=Median(seconds_between("first_seen_at", "acknowledged_at")),
            fix=Median(seconds_between("first_seen_at", "resolved_at")),
            **counts,
        )
    )
    return [
        Row(
            str(row[column]),
            row["raised"],
            row["closed"],
            row["n_true"],
            row["n_false_positive"],
            row["n_duplicate"],
            row["n_test"],
            _rounded(row["ack"]),
            _rounded(row["fix"]),
        )
        for row in rows
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _guards(alerts: QuerySet[Alert]) -> list[dict]:
    acknowledged = dict(
        alerts.filter(acknowledged_by__isnull=False)
        .values_list("acknowledged_by__username")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = dict(
        alerts.filter(resolved_by__isnull=False)
        .values_list("resolved_by__username")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = sorted(set(acknowledged) | set(closed))
    return [
        {"guard": name, "acknowledged": acknowledged.get(name, 0), "closed": closed.get(name, 0)}
        for name in names
    ]


def scorecard(since: datetime | None = None, until: datetime | None = None) -> Scorecard:
    from .suggestions import suggestions

    until = until or timezone.now()
    since = since or until - timedelta(days=30)
    alerts = Alert.objects.filter(first_seen_at__gte=since, first_seen_at__lt=until)
    annotated = alerts_between(since, until)
    sources = {"zone": annotated, "detector": annotated.filter(kind__in=DETECTOR_KINDS)}
    tables = {name: _table(sources.get(name, alerts), column) for name, column in DIMENSIONS.items()}
    return Scorecard(since, until, tables, _guards(alerts), suggestions(alerts))
