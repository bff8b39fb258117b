from __future__ import annotations

from datetime import date, timedelta

import pytest

from alerts.choices import Kind, Severity
from alerts.models import Alert
from anpr.models import Vehicle
from anpr.services import check_overstays

from .conftest import MORNING

pytestmark = pytest.mark.django_db


def test_unregistered_plate_at_a_gate_raises_unknown_vehicle(entry_camera, read_plate):
    read_plate(entry_camera, "ق ك ل ٩٩٩", MORNING)

    alert = Alert.objects.get()
    assert alert.kind == Kind.UNKNOWN_VEHICLE
    assert alert.plate == "GKL999" and alert.camera == entry_camera
    assert "GKL 999" in alert.title and "ق ك ل ٩٩٩" in alert.description


def test_registered_plate_raises_nothing_even_with_a_misread_character(
    entry_camera, read_plate, employee_vehicle
):
    passage = read_plate(entry_camera, "A8J1234", MORNING)
    assert passage.vehicle == employee_vehicle and passage.match == "probable"
    assert not Alert.objects.exists()


def test_blocked_plate_raises_a_critical_alert(entry_camera, read_plate):
    Vehicle.objects.create(plate="DRS777", owner_name="Banned", list=Vehicle.List.BLOCKED)
    read_plate(entry_camera, "DRS-777", MORNING)

    alert = Alert.objects.get()
    assert (alert.kind, alert.severity) == (Kind.BLOCKED_VEHICLE, Severity.CRITICAL)


def test_plate_outside_its_validity_window_raises_permit_expired(entry_camera, exit_camera, read_plate):
    Vehicle.objects.create(
        plate="TUV321",
        category=Vehicle.Category.CONTRACTOR,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 2, 19),
    )
    read_plate(entry_camera, "TUV321", MORNING)  # the 20th

    alert = Alert.objects.get()
    assert alert.kind == Kind.PERMIT_EXPIRED


def test_plate_valid_until_today_is_fine(entry_camera, read_plate):
    Vehicle.objects.create(plate="TUV321", valid_until=date(2026, 2, 20))
    read_plate(entry_camera, "TUV321", MORNING)
    assert not Alert.objects.exists()


def test_repeats_of_the_same_unknown_plate_inside_the_cooldown_are_one_alert(
    entry_camera, exit_camera, read_plate, settings
):
    settings.ANPR_ALERT_COOLDOWN_SECONDS = 600
    read_plate(entry_camera, "GKL999", MORNING)
    read_plate(exit_camera, "GKL999", MORNING + timedelta(minutes=3))
    read_plate(entry_camera, "GKL999", MORNING + timedelta(minutes=30))

    assert [(a.kind, a.occurrences) for a in Alert.objects.order_by("id")] == [
        (Kind.UNKNOWN_VEHICLE, 2),
        (Kind.UNKNOWN_VEHICLE, 1),
    ]


def test_visitor_staying_longer_than_allowed_raises_overstay_once(
    entry_camera, read_plate, visitor_vehicle, settings
):
    settings.ANPR_VISITOR_MAX_STAY_MINUTES = 120
    read_plate(entry_camera, "XYZ5678", MORNING)

    assert check_overstays(now=MORNING + timedelta(minutes=119)) == 0
    assert check_overstays(now=MORNING + timedelta(minutes=121)) == 1
    assert check_overstays(now=MORNING + timedelta(minutes=200)) == 0

    alert = Alert.objects.get()
    assert alert.kind == Kind.OVERSTAY and alert.plate == "XYZ5678"


def test_employees_have_no_stay_limit_unless_set(entry_camera, read_plate, employee_vehicle):
    read_plate(entry_camera, "ABJ1234", MORNING)
    assert check_overstays(now=MORNING + timedelta(hours=20)) == 0

    employee_vehicle.max_stay_minutes = 60
    employee_vehicle.save()
    assert check_overstays(now=MORNING + timedelta(hours=20)) == 1


def test_a_read_close_to_two_registered_plates_is_no_match(entry_camera, read_plate):
    Vehicle.objects.create(plate="A8J1234")
    Vehicle.objects.create(plate="ABJI234")
    passage = read_plate(entry_camera, "ABJ1234", MORNING)
    assert passage.vehicle is None and passage.match == "none"
    assert Alert.objects.get().kind == Kind.UNKNOWN_VEHICLE
