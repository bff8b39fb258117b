"""Device limits found out when staff type the values, and a busy device asked again."""

from __future__ import annotations

import time

import pytest

from cameras.forms import CameraAdminForm
from cameras.isapi import ISAPIClient, errors
from cameras.models import Camera
from cameras.provisioning.push import provision_push
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = pytest.mark.django_db


def admin_form(**fields) -> CameraAdminForm:
    data = {
        "code": "CAM-01",
        "ip_address": "192.168.1.101",
        "role": "indoor",
        "phase": 1,
        "http_port": 80,
        "channel": 1,
        "username": "admin",
        "push_format": "XML",
        "event_triggers": "[]",
        "rtsp_port": 554,
        "onvif_port": 80,
        "approval": "approved",
        "plate_list_mode": "traffic",
        "unsupported_triggers": "[]",
        "enabled": True,
        "health": "unknown",
        "heartbeat_count": 0,
        **fields,
    }
    return CameraAdminForm(data=data)


def test_admin_refuses_a_push_password_and_user_name_the_device_would_refuse():
    form = admin_form(push_username="u" * 33, push_password="p" * 17)

    assert not form.is_valid()
    assert form.errors["push_username"] == ["Devices refuse a push username longer than 32 characters."]
    assert form.errors["push_password"] == ["Devices refuse a push password longer than 16 characters."]


def test_admin_accepts_values_at_the_limits():
    form = admin_form(push_username="u" * 32, push_password="p" * 16)

    assert form.is_valid(), form.errors


def test_provisioning_refuses_an_over_long_user_name_before_calling_the_device(settings):
    with FakeISAPICamera(host="127.0.6.50") as cam:
        camera = cam.create_camera("CAM-01", push_username="u" * 33, push_password="short")

        outcome = provision_push(camera)

        assert cam.requests == []
    assert "push username longer than 32 characters" in outcome.error


def test_a_busy_device_is_asked_again_with_backoff(settings):
    settings.ISAPI_BUSY_BACKOFF_SECONDS = 0.05
    with FakeISAPICamera(host="127.0.6.51") as cam:
        cam.fail("/ISAPI/System/deviceInfo", "deviceBusy", times=2)
        started = time.monotonic()
        with ISAPIClient(cam.host, port=cam.port, username=cam.username, password=cam.password) as device:
            info = device.device_info()
        took = time.monotonic() - started

        asked = len(cam.requests_to("/ISAPI/System/deviceInfo"))
    assert info.model and asked == 3
    assert took >= 0.05 + 0.1  # 0.05 s, then 0.1 s


def test_a_device_busy_for_longer_fails_after_a_bounded_number_of_tries(settings):
    settings.ISAPI_BUSY_RETRIES, settings.ISAPI_BUSY_BACKOFF_SECONDS = 3, 0.01
    with FakeISAPICamera(host="127.0.6.52") as cam:
        cam.fail("/ISAPI/System/deviceInfo", "deviceBusy", times=None)
        camera = cam.create_camera("CAM-01")
        with ISAPIClient.for_camera(camera) as device, pytest.raises(errors.DeviceBusy):
            device.device_info()

        assert len(cam.requests_to("/ISAPI/System/deviceInfo")) == 4
    assert Camera.objects.count() == 1
