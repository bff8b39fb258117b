"""Reports for a chosen range of facility days: entries and exits per day, parking time
(average and median), occupancy over time per zone and its peaks; charts and CSV."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anpr import figures
from damanat import csv_cells
from parking.history import history
from parking.models import Zone

from .access import page
from .forms import DateRangeForm

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

MAX_CHART_ZONES = 12
# Past two days, 5-minute snapshots are summarised per hour (the hour's highest count),
# so a month stays a readable chart and peaks are never averaged away.
HOURLY_AFTER = timedelta(days=2)


class ReportForm(DateRangeForm):
    zones = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Zones"),
        required=False,
        queryset=Zone.objects.active().filter(capacity__isnull=False).order_by("name"),
        help_text=gettext_lazy("Empty: the busiest zones."),
    )


def range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The facility-local days as aware moments [start of first, start of the day after last)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def chart_zones(chosen: QuerySet[Zone] | None) -> list[Zone]:
    if chosen:
        return list(chosen[:MAX_CHART_ZONES])
    return list(
        Zone.objects.active()
        .filter(capacity__isnull=False)
        .order_by("-current_count", "name")[:MAX_CHART_ZONES]
    )


def hourly_peaks(points: list[dict]) -> list[dict]:
    hours: dict[datetime, dict] = {}
    for point in points:
        hour = point["taken_at"].replace(minute=0, second=0, microsecond=0)
        if hour not in hours or point["count"] > hours[hour]["count"]:
            hours[hour] = {**point, "taken_at": hour}
    return list(hours.values())


def zone_occupancy(zones: list[Zone], since: datetime, until: datetime) -> list[dict]:
    """Per zone: its points over time and its peak (highest count, first time reached)."""
    series = []
    for zone in zones:
        points = history(zone=zone, since=since, until=until)
        peak = max(points, key=lambda p: (p["count"], -p["taken_at"].timestamp()), default=None)
        if until - since > HOURLY_AFTER:
            points = hourly_peaks(points)
        series.append({"zone": zone, "points": points, "peak": peak})
    return series


def chart_data(days: list[figures.Day], occupancy: list[dict]) -> dict:
    local = timezone.localtime
    zones = [
        {
            "label": str(s["zone"]),
            "points": [
                {"x": local(p["taken_at"]).strftime("%Y-%m-%d %H:%M"), "y": p["occupancy_percent"]}
                for p in s["points"]
            ],
        }
        for s in occupancy
    ]
    return {
        "days": [d.day.isoformat() for d in days],
        "entries": [d.entries for d in days],
        "exits": [d.exits for d in days],
        # No closed visit that day: a gap in the line, not a zero.
        "avg_minutes": [_minutes(d.durations.avg_seconds, d.durations.visits) for d in days],
        "median_minutes": [_minutes(d.durations.median_seconds, d.durations.visits) for d in days],
        "zones": zones,
        "times": sorted({point["x"] for zone in zones for point in zone["points"]}),
        "labels": {
            "entries": _("Entries"),
            "exits": _("Exits"),
            "average": _("Average (minutes)"),
            "median": _("Median (minutes)"),
            "percent": _("Occupancy %"),
        },
    }


@page("reports")
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportForm.with_defaults(request.GET)
    if not form.is_valid():
        return render(request, "pages/reports.html", {"form": form})
    first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    since, until = range_bounds(first, last)
    days = figures.day_series(first, last)
    occupancy = zone_occupancy(chart_zones(form.cleaned_data["zones"]), since, until)
    export = request.GET.get("format")
    if export == "csv":
        return traffic_csv(days, first, last)
    if export == "occupancy-csv":
        return occupancy_csv(occupancy, first, last)
    return render(
        request,
        "pages/reports.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "days": days,
            "overall": figures.parking_time_between(first, last),
            "entries": sum(d.entries for d in days),
            "exits": sum(d.exits for d in days),
            "occupancy": occupancy,
            "chart": chart_data(days, occupancy),
        },
    )


def _csv_response(name: str) -> tuple[HttpResponse, csv_cells.SafeWriter]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response, csv_cells.writer(response)


def traffic_csv(days: list[figures.Day], first: date, last: date) -> HttpResponse:
    response, writer = _csv_response(f"traffic-{first}-{last}.csv")
    writer.writerow(figures.CSV_COLUMNS)
    writer.writerows(figures.series_csv_rows([d.as_dict() for d in days]))
    return response


def occupancy_csv(occupancy: list[dict], first: date, last: date) -> HttpResponse:
    response, writer = _csv_response(f"occupancy-{first}-{last}.csv")
    writer.writerow(["time", "zone", "count", "capacity", "occupancy_percent"])
    for series in occupancy:
        for p in series["points"]:
            writer.writerow(
                [
                    timezone.localtime(p["taken_at"]).isoformat(),
                    series["zone"].code,
                    p["count"],
                    _blank(p["capacity"]),
                    _blank(p["occupancy_percent"]),
                ]
            )

    return response


def _minutes(seconds: float, visits: int) -> float | None:
    return round(seconds / 60, 1) if visits else None


def _blank(value: object) -> object:
    return "" if value is None else value
