"""The dashboard: zone tiles by floor, open alerts by severity, today's traffic, camera strip."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from alerts.choices import Severity
from alerts.models import Alert
from anpr import figures
from anpr.services import today
from cameras.models import Camera
from parking.models import Zone

from .access import page

ONLINE_WITHIN = timedelta(minutes=5)
AMBER_FROM = 0.70


@dataclass
class Tile:
    zone: Zone
    percent: float | None
    colour: str


def tile_colour(count: int, capacity: int | None) -> str:
    if not capacity:
        return "grey"
    ratio = count / capacity
    if ratio >= settings.OCCUPANCY_ALERT_THRESHOLD:
        return "red"
    return "amber" if ratio >= AMBER_FROM else "green"


def zone_tiles_by_floor() -> list[tuple[str, list[Tile]]]:
    """Active zones grouped by floor (zones without a floor last), in floor order."""
    zones = (Zone.objects.active().select_related("floor")
             .order_by("floor__level", "floor__name", "name", "code"))
    floors: dict[str, list[Tile]] = {}
    for zone in zones:
        percent = round(zone.current_count / zone.capacity * 100) if zone.capacity else None
        floor = zone.floor.name if zone.floor else ""
        floors.setdefault(floor, []).append(
            Tile(zone, percent, tile_colour(zone.current_count, zone.capacity)))
    return list(floors.items())


def open_alerts_by_severity() -> list[tuple[str, str, int]]:
    counts = dict(Alert.objects.active().order_by().values_list("severity")
                  .annotate(n=Count("id")).values_list("severity", "n"))
    return [(s.value, s.label, counts.get(s.value, 0)) for s in reversed(Severity)]


def camera_status(camera: Camera, now) -> str:
    """online / offline / never: a push or heartbeat recently, or a passing health check."""
    recently_seen = camera.last_seen_at is not None and now - camera.last_seen_at <= ONLINE_WITHIN
    if recently_seen or camera.health == Camera.Health.ONLINE:
        return "online"
    if camera.last_seen_at is None and camera.health == Camera.Health.UNKNOWN:
        return "never"
    return "offline"


def camera_strip(now) -> list[tuple[Camera, str]]:
    cameras = Camera.objects.active().only("code", "name", "last_seen_at", "health")
    return [(camera, camera_status(camera, now)) for camera in cameras]


TRAFFIC_PERMISSIONS = ("anpr.view_gatepassage", "anpr.view_visit")


def traffic_today() -> dict:
    day = today()
    return {**figures.gate_counts(day), "inside": figures.currently_parked(),
            "average_stay": figures.parking_time(day).avg_seconds or None}


def dashboard_context(user) -> dict:
    now = timezone.now()
    return {
        "floors": zone_tiles_by_floor(),
        "severities": open_alerts_by_severity(),
        "traffic": traffic_today() if user.has_perms(TRAFFIC_PERMISSIONS) else None,
        "cameras": camera_strip(now),
        "now": now,
    }


@page("dashboard")
def dashboard(request):
    return render(request, "pages/dashboard.html", dashboard_context(request.user))


@page("dashboard")
def dashboard_live(request):
    return render(request, "pages/_dashboard_body.html", dashboard_context(request.user))
