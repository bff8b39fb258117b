"""A gate camera is linked to the trigger its device pushes plate reads on, or it fails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cameras.models import Camera
from cameras.provisioning.drift import repair_all
from cameras.testing.fake_isapi import DEFAULT_TRIGGERS, FakeISAPICamera
from cameras.tests.conftest import run_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend_address")]

SEED_GATE_TRIGGERS = ["AccessControllerEvent"]
ANPR_CAMERA = (*DEFAULT_TRIGGERS, "vehicledetection")  # an ANPR camera has no AccessControllerEvent


def configure(*args):
    return run_command("configure_cameras", *args)


def entry_gate(cam: FakeISAPICamera) -> Camera:
    return cam.create_camera(
        "CAM-ENTRY",
        role=Camera.Role.ENTRY_GATE,
        phase=2,
        push_format=Camera.PushFormat.JSON,
        event_triggers=SEED_GATE_TRIGGERS,
    )


def test_an_anpr_camera_gets_vehicledetection_instead_of_the_seeds_trigger():
    with FakeISAPICamera(host="127.0.6.30", triggers=ANPR_CAMERA) as cam:
        camera = entry_gate(cam)

        first, error = configure()
        second, second_error = configure()

        assert cam.triggers["vehicledetection-1"][0]["httpHostID"] == 1
    assert error is None and second_error is None
    assert "trigger vehicledetection linked" in first
    assert "trigger vehicledetection already linked" in second and "OK (no change)" in second
    camera.refresh_from_db()
    assert camera.push_configured and camera.unsupported_triggers == ["AccessControllerEvent"]


def test_an_access_controller_keeps_the_seeds_trigger():
    with FakeISAPICamera(host="127.0.6.31", triggers=("AccessControllerEvent", "vehicledetection")) as cam:
        entry_gate(cam)

        output, error = configure()

        assert cam.triggers["AccessControllerEvent-1"][0]["httpHostID"] == 1
        assert cam.triggers["vehicledetection-1"] == []  # one plate trigger, not two pushes per car
    assert error is None


def test_a_gate_with_no_plate_trigger_fails_every_run_and_shows_red():
    with FakeISAPICamera(host="127.0.6.32") as cam:  # an AcuSense camera: no plate triggers at all
        camera = entry_gate(cam)

        first, error = configure()
        second, second_error = configure()

    for output, failure in ((first, error), (second, second_error)):
        assert failure is not None and "CAM-ENTRY" in str(failure)
        assert "no trigger for plate reads is supported by the device" in output
        assert "OK" not in output.split("->")[-1].splitlines()[0]
    camera.refresh_from_db()
    assert not camera.push_configured
    assert "this gate would never push a plate" in camera.provision_error


def test_admin_shows_the_failed_gate_in_red(admin_client):
    with FakeISAPICamera(host="127.0.6.33") as cam:
        entry_gate(cam)
        configure()

    page = admin_client.get("/admin/cameras/camera/").content.decode()

    assert "✗ Failed: no trigger for plate reads is supported by the device" in page


def test_hourly_repair_checks_the_chosen_plate_trigger():
    with FakeISAPICamera(host="127.0.6.34", triggers=ANPR_CAMERA) as cam:
        entry_gate(cam)
        configure()
        quiet = repair_all(now=datetime(2026, 3, 1, tzinfo=UTC))
        cam.factory_reset_push()
        repaired = repair_all(now=datetime(2026, 3, 1, 1, tzinfo=UTC))

        assert cam.triggers["vehicledetection-1"][0]["httpHostID"] == 1
    assert quiet[0].drifts == []
    assert {d.setting for d in repaired[0].drifts} == {"http_host:1", "trigger:vehicledetection"}
