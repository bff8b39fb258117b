"""A camera outside ISAPI_ALLOWED_NETWORKS: never contacted, said so everywhere, never alerted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts.models import Alert
from cameras.models import Camera
from cameras.provisioning.health import check_health
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def loopback_only(settings):
    settings.ISAPI_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.ISAPI_TIMEOUT_SECONDS = 0.3
    settings.CAMERA_OFFLINE_AFTER_SECONDS = 180
    settings.CAMERA_SILENT_AFTER_SECONDS = 1800


@pytest.fixture
def demo_camera():
    """The demo's seed camera: a LAN address that development never calls."""
    return Camera.objects.create(
        code="CAM-01", ip_address="192.168.1.101", last_seen_at=T0, provisioned_at=T0 - timedelta(days=1)
    )


def test_check_cameras_names_the_allow_list_as_the_cause(demo_camera):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_cameras", stdout=out)

    row = next(line for line in out.getvalue().splitlines() if line.startswith("CAM-01"))
    assert "not_allowed" in row and "outside ISAPI_ALLOWED_NETWORKS" in row
    assert "nothing answers" not in row and "refused" not in row


def test_health_checks_for_an_hour_raise_no_offline_alert(demo_camera):
    for minute in range(0, 61, 5):
        check_health(now=T0 + timedelta(minutes=minute))

    demo_camera.refresh_from_db()
    assert demo_camera.health == Camera.Health.NOT_ALLOWED and demo_camera.unreachable_since is None
    assert not Alert.objects.filter(kind="camera_offline").exists()


def test_cameras_page_and_health_endpoint_tell_the_same_story(demo_camera, admin_client, client):
    with FakeISAPICamera(host="127.0.6.40") as reachable:
        reachable.create_camera("CAM-02")
        Camera.objects.create(code="CAM-03", ip_address="127.0.6.41", http_port=8641)  # nothing listens
        check_health()

    page = admin_client.get("/cameras/").content.decode()
    health = client.get("/api/v1/health").json()

    row = page.split("CAM-01", 1)[1].split("</tr>", 1)[0]
    assert row.count("Not contacted (outside the allowed networks)") == 2  # status and health check
    assert "Online" not in row and "Connection refused" not in row
    assert health["cameras"]["CAM-01"]["status"] == "not_contacted"
    assert health["cameras"]["CAM-02"]["status"] == "online"
    assert health["cameras"]["CAM-03"]["status"] == "unreachable"
    assert "Unreachable" in page.split("CAM-03", 1)[1].split("</tr>", 1)[0]
    assert health["status"] == "degraded" and health["cameras_unreachable"] == ["CAM-03"]


def test_health_is_ok_when_no_camera_is_unreachable(demo_camera, client):
    check_health()

    health = client.get("/api/v1/health").json()

    assert health["status"] == "ok" and health["cameras_unreachable"] == []


def test_a_camera_that_pushes_but_refuses_isapi_is_not_shown_online(client):
    Camera.objects.create(code="CAM-09", ip_address="127.0.6.42", http_port=8642, last_seen_at=timezone.now())
    check_health()

    assert client.get("/api/v1/health").json()["cameras"]["CAM-09"]["status"] == "unreachable"


def test_the_cameras_page_says_it_in_arabic_too(demo_camera, admin_client):
    check_health()

    page = admin_client.get("/cameras/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert 'dir="rtl"' in page and "لم يتم الاتصال (خارج الشبكات المسموح بها)" in page
