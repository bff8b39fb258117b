"""Hourly drift check: push settings read back, drift recorded and repaired."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cameras.models import Camera, CameraDrift
from cameras.provisioning.drift import repair_all, repair_camera
from cameras.provisioning.push import provision_push

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def backend_address(settings):
    settings.BACKEND_IP = "192.168.1.50"
    settings.BACKEND_PORT = 8080
    settings.ISAPI_TIMEOUT_SECONDS = 0.3


@pytest.fixture
def camera_with_push_configured(fake_camera):
    camera = fake_camera.create_camera("CAM-01", event_triggers=["fielddetection", "VMD"])
    assert provision_push(camera).ok
    camera.refresh_from_db()
    return camera


def test_no_drift_means_no_record_and_no_write(fake_camera, camera_with_push_configured):
    puts = len(fake_camera.requests_to("/ISAPI", "PUT"))

    result = repair_camera(camera_with_push_configured, now=NOON)

    assert result.drifts == [] and result.error == ""
    assert len(fake_camera.requests_to("/ISAPI", "PUT")) == puts
    assert not CameraDrift.objects.exists()
    assert Camera.objects.get(pk=camera_with_push_configured.pk).push_checked_at == NOON


def test_a_factory_reset_is_recorded_and_repaired(fake_camera, camera_with_push_configured):
    fake_camera.factory_reset_push()

    results = repair_all(now=NOON)

    assert [r.repaired for r in results] == [True]
    drifts = {d.setting: d for d in CameraDrift.objects.filter(camera=camera_with_push_configured)}
    assert set(drifts) == {"http_host:1", "trigger:fielddetection", "trigger:VMD"}
    assert drifts["http_host:1"].found == "(empty)"
    assert drifts["http_host:1"].expected == "http://192.168.1.50:8080/api/v1/events/camera XML auth=none"
    assert all(d.repaired and d.detected_at == NOON for d in drifts.values())
    assert fake_camera.http_hosts[1]["ipAddress"] == "192.168.1.50"
    assert fake_camera.triggers["VMD-1"][0]["httpHostID"] == 1


def test_a_technician_changing_the_port_is_seen(fake_camera, camera_with_push_configured):
    fake_camera.http_hosts[1]["portNo"] = 9999

    repair_camera(camera_with_push_configured, now=NOON)

    drift = CameraDrift.objects.get()
    assert drift.setting == "http_host:1" and ":9999/" in drift.found and drift.repaired
    assert fake_camera.http_hosts[1]["portNo"] == 8080


def test_a_failed_repair_is_recorded_with_its_error(fake_camera, camera_with_push_configured):
    fake_camera.factory_reset_push()
    fake_camera.fail("/ISAPI/Event/notification/httpHosts/1", "deviceError", method="PUT", times=None)

    result = repair_camera(camera_with_push_configured, now=NOON)

    assert not result.repaired
    drift = CameraDrift.objects.get(setting="http_host:1")
    assert not drift.repaired and "deviceError" in drift.error
    assert not Camera.objects.get(pk=camera_with_push_configured.pk).push_configured


def test_an_unreachable_camera_records_no_drift(fake_camera, camera_with_push_configured):
    fake_camera.delay = 0.6

    result = repair_camera(camera_with_push_configured, now=NOON)

    assert "no answer" in result.error
    assert not CameraDrift.objects.exists()


def test_cameras_never_provisioned_are_left_to_the_installer(fake_camera):
    fake_camera.create_camera("CAM-01", event_triggers=["VMD"])

    assert repair_all(now=NOON) == []
    assert fake_camera.requests == []
