"""Zone rules: what a camera push into a zone raises (seed 7.5, 7.6)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alerts.models import Alert
from alerts.rules import within_hours
from cameras.ingest import Push, receive_push
from cameras.simulator import region_event_xml
from parking.models import Zone

RIYADH = ZoneInfo("Asia/Riyadh")


def push(event_type: str, zone: str, target: str = "vehicle", moment=None):
    body = region_event_xml(event_type, zone, target=target, moment=moment)
    return receive_push(Push(body=body, content_type="application/xml", source_ip="192.168.1.101"))


def alerts_of(kind: str):
    return list(Alert.objects.filter(kind=kind))


@pytest.mark.parametrize("zone_kind", [Zone.Kind.RESTRICTED, Zone.Kind.NO_PARKING, Zone.Kind.LOADING_BAY])
@pytest.mark.parametrize("event_type", ["fielddetection", "regionEntrance"])
def test_vehicle_entering_a_forbidden_zone_is_a_violation(zone_factory, zone_kind, event_type):
    zone = zone_factory("z1", zone_kind)
    result = push(event_type, "z1")
    [violation] = alerts_of("violation")
    assert violation.zone == zone and violation.camera.code == "CAM-01"
    assert violation.source_event_id == result.event_id
    assert violation.event_type == event_type


def test_parking_zone_entry_raises_nothing(zone_factory):
    zone_factory("parking-row-A", Zone.Kind.PARKING, capacity=10)
    push("regionEntrance", "parking-row-A")
    assert Alert.objects.count() == 0


@pytest.mark.parametrize("zone_kind", [Zone.Kind.EMERGENCY_EXIT, Zone.Kind.STAFF_ONLY])
def test_vehicle_in_emergency_exit_or_staff_area_is_an_intrusion(zone_factory, zone_kind):
    zone_factory("z1", zone_kind)
    push("fielddetection", "z1")
    [intrusion] = alerts_of("intrusion")
    assert intrusion.zone.code == "z1"


@pytest.mark.parametrize("event_type", ["fielddetection", "regionEntrance"])
def test_one_car_in_the_emergency_exit_is_one_critical_alert_naming_both_rules(zone_factory, event_type):
    zone = zone_factory("emergency-exit", Zone.Kind.EMERGENCY_EXIT)
    result = push(event_type, "emergency-exit")
    [alert] = Alert.objects.all()
    assert (alert.kind, alert.severity) == ("intrusion", "critical")
    assert alert.zone == zone and alert.source_event_id == result.event_id
    assert "Vehicle in" in alert.description  # the violation rule, named in the one alert


def test_line_crossing_is_a_violation_unless_the_line_is_configured_otherwise(zone_factory):
    zone_factory("gate-line", Zone.Kind.PARKING)
    zone_factory("lane-line", Zone.Kind.PARKING, line_is_violation=False)
    push("linedetection", "gate-line")
    push("linedetection", "lane-line")
    [violation] = alerts_of("violation")
    assert violation.zone.code == "gate-line"


def test_line_crossing_on_an_unknown_line_is_a_violation(camera):
    push("linedetection", "never-configured")
    [violation] = alerts_of("violation")
    assert violation.zone.code == "never-configured" and not violation.zone.configured


def test_human_in_a_vehicle_only_zone_raises_nothing(restricted_zone):
    push("fielddetection", "restricted-vip", target="human")
    assert Alert.objects.count() == 0


def test_zone_counting_humans_raises_for_a_human(zone_factory):
    zone_factory("staff-only-area", Zone.Kind.STAFF_ONLY, counted_targets=["vehicle", "human"])
    push("fielddetection", "staff-only-area", target="human")
    assert len(alerts_of("intrusion")) == 1


def test_event_without_a_target_counts_as_a_vehicle(restricted_zone):
    push("fielddetection", "restricted-vip", target="")
    assert len(alerts_of("violation")) == 1


def test_inactive_zone_raises_nothing(zone_factory):
    zone_factory("restricted-vip", Zone.Kind.RESTRICTED, is_active=False)
    push("fielddetection", "restricted-vip")
    assert Alert.objects.count() == 0


@pytest.fixture
def after_hours_zone(zone_factory):
    return zone_factory(
        "after-hours-zone", Zone.Kind.AFTER_HOURS, active_from=time(22, 0), active_until=time(6, 0)
    )


def riyadh(hour: int, minute: int = 0) -> datetime:
    today = timezone.localtime(timezone.now(), RIYADH).date()
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=RIYADH)


def test_after_hours_zone_at_night_is_an_intrusion(after_hours_zone):
    push("fielddetection", "after-hours-zone", moment=riyadh(23, 30))
    [intrusion] = alerts_of("intrusion")
    assert intrusion.first_seen_at == riyadh(23, 30)


def test_after_hours_zone_during_the_day_raises_nothing(after_hours_zone):
    push("fielddetection", "after-hours-zone", moment=riyadh(14, 0))
    assert Alert.objects.count() == 0


@pytest.mark.parametrize(
    "moment,start,end,inside",
    [
        (time(23), time(22), time(6), True),
        (time(5, 59), time(22), time(6), True),
        (time(6), time(22), time(6), False),
        (time(12), time(22), time(6), False),
        (time(9), time(8), time(17), True),
        (time(17), time(8), time(17), False),
        (time(3), None, None, True),
    ],
)
def test_hours_window(moment, start, end, inside):
    assert within_hours(moment, start, end) is inside


def test_repeats_inside_the_cooldown_add_occurrences_to_one_alert(restricted_zone, settings):
    settings.INTRUSION_COOLDOWN_SECONDS = 30
    start = timezone.now() - timedelta(minutes=5)
    for seconds in (0, 10, 25, 40):
        push("fielddetection", "restricted-vip", moment=start + timedelta(seconds=seconds))
    [violation] = alerts_of("violation")
    assert violation.occurrences == 4
    assert violation.last_seen_at == start.replace(microsecond=0) + timedelta(seconds=40)


def test_after_the_cooldown_a_new_alert_opens(restricted_zone, settings):
    settings.INTRUSION_COOLDOWN_SECONDS = 30
    start = timezone.now() - timedelta(minutes=5)
    push("fielddetection", "restricted-vip", moment=start)
    push("fielddetection", "restricted-vip", moment=start + timedelta(seconds=31))
    assert len(alerts_of("violation")) == 2


def test_cooldown_is_per_zone(zone_factory):
    zone_factory("restricted-vip", Zone.Kind.RESTRICTED)
    zone_factory("loading-bay", Zone.Kind.LOADING_BAY)
    push("fielddetection", "restricted-vip")
    push("fielddetection", "loading-bay")
    assert len(alerts_of("violation")) == 2


def test_resolved_alert_is_not_reused_by_a_repeat(restricted_zone, user_with):
    push("fielddetection", "restricted-vip")
    Alert.objects.get().resolve(by=user_with("resolve_alert"), note="towed")
    push("fielddetection", "restricted-vip")
    assert Alert.objects.filter(status="open").count() == 1
    assert Alert.objects.count() == 2


def test_exclusion_zone_raises_nothing_even_for_a_line(zone_factory):
    zone_factory("ignored-area", Zone.Kind.EXCLUSION)
    push("fielddetection", "ignored-area")
    push("linedetection", "ignored-area")
    assert Alert.objects.count() == 0
