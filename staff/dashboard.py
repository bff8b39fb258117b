"""The dashboard: zone tiles by floor, open alerts by severity, today's traffic, camera strip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, F
from django.shortcuts import render
from django.utils import timezone

from alerts.choices import Severity
from alerts.models import Alert
from anpr import figures
from anpr.services import today
from cameras import status as camera_status_words
from cameras.models import Camera
from cameras.status import camera_state
from damanat import numbers
from parking.models import Zone

from .access import page
from .alerts import allowed_actions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest, HttpResponse

AMBER_FROM = 0.70


@dataclass
class Tile:
    name: str
    figure: str  # "9 / 10" in the language's digits
    detail: str  # the percentage, or the zone's kind when it has no capacity
    colour: str


def tile_colour(count: int, capacity: int | None) -> str:
    if not capacity:
        return "grey"
    ratio = count / capacity
    if ratio >= settings.OCCUPANCY_ALERT_THRESHOLD:
        return "red"
    return "amber" if ratio >= AMBER_FROM else "green"


def zone_tile(zone: Zone) -> Tile:
    # Formatted here rather than in the template: 200 tiles render in a few milliseconds.
    count, capacity = zone.current_count, zone.capacity
    figure = f"{numbers.number(count)} / {numbers.number(capacity)}" if capacity else numbers.number(count)
    detail = numbers.percent(round(count / capacity * 100)) if capacity else zone.get_kind_display()
    return Tile(str(zone), figure, detail, tile_colour(count, capacity))


def zone_tiles_by_floor() -> list[tuple[str, list[Tile]]]:
    """Active zones grouped by floor (zones without a floor last), in floor order."""
    zones = (
        Zone.objects.active()
        .select_related("floor")
        .only(
            "code",
            "name",
            "name_ar",
            "kind",
            "capacity",
            "current_count",
            "floor__name",
            "floor__name_ar",
            "floor__level",
        )
        .order_by(F("floor__level").asc(nulls_last=True), "floor__name", "name", "code")
    )
    floors: dict[str, list[Tile]] = {}
    for zone in zones:
        floors.setdefault(str(zone.floor) if zone.floor else "", []).append(zone_tile(zone))
    return list(floors.items())


def open_alerts_by_severity() -> list[tuple[str, str, int]]:
    counts = dict(
        Alert.objects.active()
        .order_by()
        .values_list("severity")
        .annotate(n=Count("id"))
        .values_list("severity", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in reversed(Severity)]


DOTS = {
    camera_status_words.ONLINE: "online",
    camera_status_words.SILENT: "offline",
    camera_status_words.UNREACHABLE: "offline",
}
NEEDS_ME = 8


def needs_me() -> list[Alert]:
    """The open alerts nobody has taken yet, the most urgent first."""
    return list(Alert.objects.open().select_related("zone", "camera").most_urgent_first()[:NEEDS_ME])


def camera_status(camera: Camera, now: datetime) -> str:
    """The dot's colour: online / offline / never (never seen, or never contacted)."""
    return DOTS.get(camera_state(camera, now), "never")


def camera_strip(now: datetime) -> list[tuple[Camera, str]]:
    cameras = Camera.objects.active().only("code", "name", "last_seen_at", "health")
    return [(camera, camera_status(camera, now)) for camera in cameras]


TRAFFIC_PERMISSIONS = ("anpr.view_gatepassage", "anpr.view_visit")


def traffic_today() -> dict:
    day = figures.day_series(today(), today())[0]
    return {
        "entries": day.entries,
        "exits": day.exits,
        "inside": figures.currently_parked(),
        "average_stay": day.durations.avg_seconds if day.durations.visits else None,
    }


def dashboard_context(user: User | AnonymousUser) -> dict:
    now = timezone.now()
    return {
        "floors": zone_tiles_by_floor(),
        "severities": open_alerts_by_severity(),
        "needs_me": needs_me(),
        "actions": allowed_actions(user),
        "traffic": traffic_today() if user.has_perms(TRAFFIC_PERMISSIONS) else None,
        "cameras": camera_strip(now),
        "now": now,
    }


@page("dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/dashboard.html", dashboard_context(request.user))


@page("dashboard")
def dashboard_live(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/_dashboard_body.html", dashboard_context(request.user))
