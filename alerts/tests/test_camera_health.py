"""Health check each minute: blips ignored, camera_offline raised once, resolved on return."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.models import Alert
from cameras.models import Camera
from cameras.provisioning.health import check_health

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.ISAPI_TIMEOUT_SECONDS = 0.2
    settings.CAMERA_OFFLINE_AFTER_SECONDS = 180
    settings.CAMERA_SILENT_AFTER_SECONDS = 1800


@pytest.fixture
def camera_pushing(fake_camera):
    """A provisioned camera that pushed an event at T0."""
    return fake_camera.create_camera("CAM-01", provisioned_at=T0 - timedelta(days=1), last_seen_at=T0)


def offline_alerts(camera):
    return Alert.objects.filter(kind="camera_offline", camera=camera)


def test_a_reachable_pushing_camera_is_online_and_raises_nothing(fake_camera, camera_pushing):
    report = check_health(now=T0 + MINUTE)

    camera_pushing.refresh_from_db()
    assert camera_pushing.health == Camera.Health.ONLINE
    assert camera_pushing.health_checked_at == T0 + MINUTE
    assert report.checked == 1 and report.raised == 0
    assert not offline_alerts(camera_pushing).exists()


def test_a_short_blip_is_recorded_but_not_alerted(fake_camera, camera_pushing):
    fake_camera.delay = 0.5
    check_health(now=T0 + MINUTE)
    camera_pushing.refresh_from_db()
    assert camera_pushing.health == Camera.Health.TIMEOUT
    assert camera_pushing.unreachable_since == T0 + MINUTE

    fake_camera.delay = 0
    check_health(now=T0 + 2 * MINUTE)

    camera_pushing.refresh_from_db()
    assert camera_pushing.health == Camera.Health.ONLINE and camera_pushing.unreachable_since is None
    assert not offline_alerts(camera_pushing).exists()


def test_unreachable_for_the_configured_time_raises_one_alert_then_resolves(fake_camera, camera_pushing):
    fake_camera.delay = 0.5
    for minute in range(1, 4):
        check_health(now=T0 + minute * MINUTE)
    assert not offline_alerts(camera_pushing).exists()  # 2 minutes down: still a blip

    check_health(now=T0 + 4 * MINUTE)
    check_health(now=T0 + 5 * MINUTE)

    alert = offline_alerts(camera_pushing).get()
    assert alert.status == "open" and alert.severity == "high"
    assert "CAM-01" in alert.title and "unreachable since" in alert.description

    fake_camera.delay = 0
    Camera.objects.filter(pk=camera_pushing.pk).update(last_seen_at=T0 + 6 * MINUTE)
    report = check_health(now=T0 + 6 * MINUTE)

    alert.refresh_from_db()
    assert report.resolved == 1
    assert alert.status == "resolved" and alert.resolved_at is not None
    assert "back online" in alert.resolution_note
    assert alert.history.filter(action="resolved").exists()


def test_a_reachable_but_silent_camera_is_offline(fake_camera, camera_pushing):
    check_health(now=T0 + 29 * MINUTE)
    assert not offline_alerts(camera_pushing).exists()

    check_health(now=T0 + 31 * MINUTE)

    alert = offline_alerts(camera_pushing).get()
    assert "no events or heartbeats" in alert.description
    camera_pushing.refresh_from_db()
    assert camera_pushing.health == Camera.Health.ONLINE  # it answers ISAPI, yet pushes nothing

    Camera.objects.filter(pk=camera_pushing.pk).update(last_seen_at=T0 + 32 * MINUTE)  # a heartbeat
    check_health(now=T0 + 33 * MINUTE)
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_wrong_password_is_shown_but_not_offline(fake_camera):
    camera = fake_camera.create_camera("CAM-01", password="changed-by-someone", last_seen_at=T0)

    check_health(now=T0 + 10 * MINUTE)

    camera.refresh_from_db()
    assert camera.health == Camera.Health.AUTH_FAILED
    assert "authentication failed" in camera.health_detail
    assert "changed-by-someone" not in camera.health_detail
    assert not offline_alerts(camera).exists()


def test_a_camera_never_set_up_to_push_is_not_called_silent(fake_camera):
    camera = fake_camera.create_camera("CAM-01")

    check_health(now=T0 + 24 * 60 * MINUTE)

    assert not offline_alerts(camera).exists()


def test_firmware_change_is_picked_up(fake_camera, camera_pushing):
    fake_camera.firmware_version = "V5.8.0"

    check_health(now=T0 + MINUTE)

    camera_pushing.refresh_from_db()
    assert camera_pushing.firmware_version == "V5.8.0 build 240201"
