"""Provision the fake camera against the running backend, let it push, see the event processed."""

from __future__ import annotations

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from anpr.models import GatePassage, Vehicle
from cameras.models import Camera, CameraEvent
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backend(live_server, settings):
    """Cameras are told to push to the live test server."""
    address = urlsplit(live_server.url)
    settings.BACKEND_IP = "127.0.0.1"
    settings.BACKEND_PORT = address.port
    return live_server


def test_provisioned_camera_pushes_a_region_event_that_is_stored_and_dispatched(backend, fake_camera):
    fake_camera.create_camera("CAM-03", event_triggers=["regionEntrance", "fielddetection"])
    call_command("configure_cameras", "--camera", "CAM-03", stdout=StringIO())

    response = fake_camera.push_event("regionEntrance", zone="zone-A")

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert event.camera.code == "CAM-03"
    assert (event.event_type, event.region_id) == ("regionEntrance", "zone-A")
    assert event.status == CameraEvent.Status.ACCEPTED and event.handled_by
    assert Camera.objects.get(code="CAM-03").last_seen_at is not None


def test_gate_camera_pushes_json_with_its_push_credentials(backend, eager_celery):
    Vehicle.objects.create(plate="ABJ1234", owner_name="Ahmed")
    with FakeISAPICamera(model="DS-2CD7A26G0/P-IZS", triggers=("VMD", "vehicledetection")) as gate:
        gate.create_camera(
            "CAM-ENTRY",
            role=Camera.Role.ENTRY_GATE,
            phase=2,
            push_format=Camera.PushFormat.JSON,
            push_username="gate-cam",
            push_password="Gate-Push-2026",
            event_triggers=["VMD"],
        )
        call_command("configure_cameras", "--phase", "2", stdout=StringIO())
        call_command("configure_anpr_cameras", stdout=StringIO())

        response = gate.push_event("anpr", plate="ABJ1234")

        assert gate.http_hosts[1]["httpAuthenticationMethod"] == "MD5digest"
        assert "ABJ1234" in {e["LicensePlate"] for e in gate.plates.values()}
    assert response.status_code == 200, response.text
    passage = GatePassage.objects.get()
    assert (passage.plate, passage.gate, passage.camera.code) == ("ABJ1234", "entry", "CAM-ENTRY")
    assert passage.vehicle.owner_name == "Ahmed"


def test_push_with_stale_credentials_is_refused(backend):
    with FakeISAPICamera() as cam:
        camera = cam.create_camera(
            "CAM-01", push_username="cam", push_password="Old-Pass", event_triggers=["VMD"]
        )
        call_command("configure_cameras", stdout=StringIO())
        camera.push_password = "New-Pass"  # changed here, not yet on the device
        camera.save(update_fields=["push_password"])

        response = cam.push_event("fielddetection")

    assert response.status_code == 401


def test_fake_camera_can_push_to_any_url(backend, fake_camera):
    fake_camera.create_camera("CAM-01")

    response = fake_camera.push_event(
        "fielddetection", url=f"{backend.url}/api/v1/events/camera", zone="restricted-vip"
    )

    assert response.status_code == 200 and response.json()["event_type"] == "fielddetection"
