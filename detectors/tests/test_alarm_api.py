"""POST /api/camera/alarm (seed 003, option A)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from cameras.models import Camera
from cameras.tasks import stop_camera_alarm

pytestmark = pytest.mark.django_db

URL = "/api/camera/alarm"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operator():
    user = User.objects.create_user("guard", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="trigger_alarm"))
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def test_start_by_ip_sounds_the_alarm_and_ignores_body_credentials(operator, fake_camera):
    camera = fake_camera.create_camera("CAM-01")

    response = operator.post(
        URL,
        {
            "ip": "127.0.0.1",
            "username": "x",
            "password": "leak-me",
            "action": "start",
            "duration": 30,
            "type": "both",
            "volume": "high",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["camera"] == "CAM-01" and response.json()["until"]
    assert b"leak-me" not in response.content
    assert fake_camera.alarm_outputs[1] == "high"
    camera.refresh_from_db()
    assert camera.alarm_until is not None


def test_stop_by_code(operator, fake_camera):
    fake_camera.create_camera("CAM-01")
    operator.post(URL, {"camera": "CAM-01", "action": "start"}, format="json")

    response = operator.post(URL, {"camera": "CAM-01", "action": "stop"}, format="json")

    assert response.status_code == 200
    assert fake_camera.alarm_log == [(1, "high"), (1, "low")]
    assert Camera.objects.get(code="CAM-01").alarm_until is None


def test_timed_stop_switches_off_unless_a_later_start_extended_it(operator, fake_camera):
    camera = fake_camera.create_camera("CAM-01")
    first = operator.post(URL, {"camera": "CAM-01", "action": "start", "duration": 5}, format="json")
    second = operator.post(URL, {"camera": "CAM-01", "action": "start", "duration": 60}, format="json")

    assert stop_camera_alarm(camera.pk, first.json()["until"]) is False
    assert fake_camera.alarm_outputs[1] == "high"
    assert stop_camera_alarm(camera.pk, datetime.fromisoformat(second.json()["until"]).isoformat())
    assert fake_camera.alarm_outputs[1] == "low"


def test_device_refusal_is_a_502_with_the_reason(operator, fake_camera):
    fake_camera.create_camera("CAM-01")
    fake_camera.fail("/ISAPI/System/IO/outputs", "notSupport")

    response = operator.post(URL, {"camera": "CAM-01", "action": "start"}, format="json")

    assert response.status_code == 502
    assert response.json()["reason"] == "not_supported"


def test_unknown_camera_and_bad_requests(operator):
    assert operator.post(URL, {"camera": "CAM-404", "action": "start"}, format="json").status_code == 404
    assert operator.post(URL, {"action": "start"}, format="json").status_code == 400
    assert operator.post(URL, {"camera": "CAM-1", "action": "explode"}, format="json").status_code == 400
    too_long = {"camera": "CAM-1", "action": "start", "duration": 100000}
    assert operator.post(URL, too_long, format="json").status_code == 400


def test_permission_is_required(fake_camera):
    fake_camera.create_camera("CAM-01")
    client = APIClient()
    assert client.post(URL, {"camera": "CAM-01", "action": "start"}, format="json").status_code in (401, 403)
    client.force_authenticate(User.objects.create_user("visitor"))
    assert client.post(URL, {"camera": "CAM-01", "action": "start"}, format="json").status_code == 403
    assert fake_camera.alarm_log == []


def detector_client(camera, ip="10.0.0.9"):
    from detectors.models import Detector

    detector = Detector(name="Crime model", email="model@system.local", allowed_ip=ip)
    detector.set_password("pw-123456")
    detector.save()
    if camera is not None:
        detector.cameras.add(camera)
    client = APIClient(REMOTE_ADDR=ip)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {detector.issue_token()}")
    return client


def test_a_detector_sounds_the_alarm_of_its_assigned_camera(fake_camera):
    camera = fake_camera.create_camera("CAM-01")
    client = detector_client(camera)

    response = client.post(URL, {"ip": "127.0.0.1", "action": "start", "duration": 30}, format="json")

    assert response.status_code == 200, response.content
    assert fake_camera.alarm_outputs[1] == "high"


def test_a_detector_cannot_touch_cameras_not_assigned_to_it(fake_camera):
    fake_camera.create_camera("CAM-01")
    client = detector_client(None)

    response = client.post(URL, {"camera": "CAM-01", "action": "start"}, format="json")

    assert response.status_code == 404
    assert fake_camera.alarm_log == []
