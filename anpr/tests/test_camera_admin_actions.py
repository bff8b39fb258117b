from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from anpr.models import Vehicle
from cameras.models import Camera

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cameras_camera_changelist")


@pytest.fixture(autouse=True)
def backend_address(settings):
    settings.BACKEND_IP = "192.168.1.50"
    settings.BACKEND_PORT = 8080


def act(client, action: str, *cameras):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in cameras]}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_list_shows_status_last_seen_firmware_and_push(admin_client, fake_camera):
    fake_camera.create_camera("CAM-01", firmware_version="V5.7.15", push_configured=True)

    page = admin_client.get(CHANGELIST).content.decode()

    for text in ("CAM-01", "V5.7.15", "Never checked", "Push configured", "Last seen"):
        assert text in page


def test_test_connection_reports_the_device(admin_client, fake_camera):
    camera = fake_camera.create_camera("CAM-01")

    response = act(admin_client, "test_connection", camera)

    assert any(
        "CAM-01: online, DS-2CD3783G2-IZSU" in m and "NOT configured" in m for m in messages_of(response)
    )


def test_provision_now_configures_the_camera(admin_client, fake_camera):
    camera = fake_camera.create_camera("CAM-01", event_triggers=["VMD"])

    response = act(admin_client, "provision_now", camera)

    assert fake_camera.http_hosts[1]["ipAddress"] == "192.168.1.50"
    assert any("trigger VMD linked" in m for m in messages_of(response))
    assert Camera.objects.get(pk=camera.pk).push_configured


def test_provision_now_reports_a_failure(admin_client, fake_camera):
    camera = fake_camera.create_camera("CAM-01", password="wrong")

    response = act(admin_client, "provision_now", camera)

    assert any("CAM-01:" in m and "authentication failed" in m for m in messages_of(response))


def test_sync_plates_only_for_gate_cameras(admin_client, fake_camera):
    Vehicle.objects.create(plate="ABJ1234")
    gate = fake_camera.create_camera("CAM-ENTRY", role=Camera.Role.ENTRY_GATE)
    other = Camera.objects.create(code="CAM-01", ip_address="10.9.9.9")

    response = act(admin_client, "sync_plates", gate, other)

    assert [e["LicensePlate"] for e in fake_camera.plates.values()] == ["ABJ1234"]
    texts = messages_of(response)
    assert any("CAM-ENTRY" in m and "1 added" in m for m in texts)
    assert any("1 camera(s) skipped" in m for m in texts)


def test_provisioning_needs_its_permission(client, fake_camera):
    camera = fake_camera.create_camera("CAM-01", event_triggers=["VMD"])
    staff = User.objects.create_user("viewer", password="pw", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_camera", "change_camera"]))
    client.force_login(staff)

    response = act(client, "provision_now", camera)

    assert response.status_code == 403
    assert fake_camera.http_hosts == {}
