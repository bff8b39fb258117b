from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alerts.models import Alert
from detectors.models import DutyShift
from detectors.roster import choose_staff
from parking.models import Floor, Zone

CRIME = {
    "crime_type": "theft",
    "confidence_score": 92.5,
    "start_time": "2026-02-27T14:28:00Z",
    "end_time": "2026-02-27T14:32:00Z",
}


@pytest.fixture
def floors(db):
    return {level: Floor.objects.create(name=f"B{level}", level=level) for level in (0, 1, 2, 3)}


@pytest.fixture
def camera_zone(camera, floors):
    return Zone.objects.create(camera=camera, code="1", name="Ramp", floor=floors[1])


def on_duty(name, *, floor=None, zone=None, hours=(-1, 7)):
    user = get_user_model().objects.create(username=name, is_staff=True)
    now = timezone.now()
    DutyShift.objects.create(
        user=user,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        post_floor=floor,
        post_zone=zone,
    )
    return user


def load(user, n):
    now = timezone.now()
    for i in range(n):
        Alert.objects.create(
            kind="intrusion", title=f"x{i}", assigned_to=user, first_seen_at=now, last_seen_at=now
        )


def test_the_post_in_the_cameras_zone_wins(camera, camera_zone, floors):
    on_duty("far", floor=floors[3])
    on_duty("same-floor", floor=floors[1])
    in_zone = on_duty("in-zone", zone=camera_zone)
    load(in_zone, 5)

    assert choose_staff(camera) == in_zone


def test_then_the_same_floor_then_the_nearest_floor(camera, camera_zone, floors):
    on_duty("three-away", floor=floors[3])
    near = on_duty("one-away", floor=floors[0])

    assert choose_staff(camera) == near

    same = on_duty("same", floor=floors[1])
    assert choose_staff(camera) == same


def test_without_post_information_the_least_loaded_wins(camera):
    busy = on_duty("busy")
    idle = on_duty("idle")
    load(busy, 2)

    assert choose_staff(camera) == idle


def test_equal_distance_goes_to_the_least_loaded(camera, camera_zone, floors):
    a = on_duty("a", floor=floors[1])
    b = on_duty("b", floor=floors[1])
    load(a, 1)

    assert choose_staff(camera) == b


def test_resolved_alerts_do_not_count_as_load(camera):
    a = on_duty("a")
    b = on_duty("b")
    load(a, 3)
    Alert.objects.filter(assigned_to=a).update(status=Alert.Status.RESOLVED)
    load(b, 1)

    assert choose_staff(camera) == a


def test_off_duty_and_inactive_staff_are_skipped(camera, camera_zone):
    on_duty("finished", zone=camera_zone, hours=(-9, -1))
    on_duty("later", zone=camera_zone, hours=(1, 9))
    gone = on_duty("gone", zone=camera_zone)
    gone.is_active = False
    gone.save()

    assert choose_staff(camera) is None


def test_a_crime_alert_is_assigned_to_the_on_duty_guard(authed, camera, camera_zone, floors):
    guard = on_duty("guard", zone=camera_zone)
    on_duty("other", floor=floors[3])

    authed.post("/api/model/crime", {**CRIME, "camera_id": camera.pk}, format="json")

    alert = Alert.objects.get(kind=Alert.Kind.CRIME)
    assert alert.assigned_to == guard and alert.assigned_at is not None
    assert "Assigned to guard" in alert.description  # what every notification channel carries


def test_with_nobody_on_duty_the_crime_alert_stays_unassigned(authed, camera):
    response = authed.post("/api/model/crime", {**CRIME, "camera_id": camera.pk}, format="json")

    assert response.status_code == 201
    assert Alert.objects.get(kind=Alert.Kind.CRIME).assigned_to is None
