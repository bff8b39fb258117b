from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cameras.models import Camera
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = pytest.mark.django_db

TRIGGERS = ["fielddetection", "linedetection", "regionEntrance", "regionExiting", "VMD"]


@pytest.fixture(autouse=True)
def backend_address(settings):
    settings.BACKEND_IP = "192.168.1.50"
    settings.BACKEND_PORT = 8080


def run(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("configure_cameras", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_first_run_registers_the_backend_and_links_triggers(fake_camera):
    camera = fake_camera.create_camera("CAM-03", event_triggers=TRIGGERS)

    output, error = run("--phase", "1")

    assert error is None
    host = fake_camera.http_hosts[1]
    assert (host["ipAddress"], host["portNo"], host["url"]) == ("192.168.1.50", 8080, "/api/v1/events/camera")
    assert (host["parameterFormatType"], host["httpAuthenticationMethod"]) == ("XML", "none")
    assert all(n["httpHostID"] == 1 for t in TRIGGERS for n in fake_camera.triggers[f"{t}-1"])
    camera.refresh_from_db()
    assert (camera.model, camera.serial_number, camera.mac_address) == (
        "DS-2CD3783G2-IZSU",
        fake_camera.serial_number,
        "44:47:cc:12:34:56",
    )
    assert camera.firmware_version == "V5.7.15 build 240201"
    assert camera.push_configured and camera.provisioned_at
    assert "[CAM-03]" in output and "trigger VMD linked" in output and "-> OK" in output
    assert "1 camera(s): 1 ok, 0 failed" in output


def test_rerun_changes_nothing_and_never_duplicates(fake_camera):
    fake_camera.create_camera("CAM-03", event_triggers=TRIGGERS)
    run()
    writes_before = len([r for r in fake_camera.requests if r.method == "PUT"])

    output, error = run()

    assert error is None
    assert len([r for r in fake_camera.requests if r.method == "PUT"]) == writes_before
    assert list(fake_camera.http_hosts) == [1]
    assert [len(fake_camera.triggers[f"{t}-1"]) for t in TRIGGERS] == [1] * 5
    assert "OK (no change)" in output and "already linked" in output


def test_wrong_credentials_fail_the_camera_and_the_exit_code(fake_camera):
    fake_camera.create_camera("CAM-01", password="Not-The-Password", event_triggers=["VMD"])

    output, error = run()

    assert error is not None and "CAM-01" in str(error)
    assert "FAILED: CAM-01: authentication failed" in output
    assert "Not-The-Password" not in output and fake_camera.password not in output
    assert fake_camera.http_hosts == {}
    assert not Camera.objects.get(code="CAM-01").push_configured


def test_unsupported_trigger_is_skipped_with_a_warning_and_remembered():
    with FakeISAPICamera(not_supported=("regionEntrance",)) as cam:
        camera = cam.create_camera("CAM-01", event_triggers=["VMD", "regionEntrance"])
        output, error = run()
        second_output, _ = run()

        assert error is None
        assert "WARNING: trigger regionEntrance not supported by the device, skipped" in output
        assert cam.triggers["VMD-1"][0]["httpHostID"] == 1
        camera.refresh_from_db()
        assert camera.unsupported_triggers == ["regionEntrance"] and camera.push_configured
        assert len(cam.requests_to("/ISAPI/Event/triggers/regionEntrance-1")) == 1  # not asked again
        assert "regionEntrance" not in second_output


def test_device_error_mid_run_fails_that_camera_only(fake_camera):
    fake_camera.fail("/ISAPI/Event/triggers/linedetection-1", "deviceError", method="PUT")
    fake_camera.create_camera("CAM-01", event_triggers=["fielddetection", "linedetection", "VMD"])
    with FakeISAPICamera(host="127.0.0.2") as healthy:
        healthy.create_camera("CAM-02", event_triggers=["VMD"])

        output, error = run()

        assert healthy.triggers["VMD-1"][0]["httpHostID"] == 1
    assert "failed: CAM-01" in str(error)
    assert "trigger fielddetection linked" in output
    assert "FAILED: CAM-01: /ISAPI/Event/triggers/linedetection-1 refused: deviceError" in output
    assert "2 camera(s): 1 ok, 1 failed" in output
    assert fake_camera.triggers["VMD-1"] == []  # the run stopped at the failing step
    assert not Camera.objects.get(code="CAM-01").push_configured


def test_push_credentials_and_json_format_for_gate_cameras():
    with FakeISAPICamera(triggers=("VMD", "AccessControllerEvent")) as gate:
        gate.create_camera(
            "CAM-ENTRY",
            phase=2,
            role=Camera.Role.ENTRY_GATE,
            push_format=Camera.PushFormat.JSON,
            push_username="camera",
            push_password="Push&Pass<16>",
            event_triggers=["VMD"],
        )

        output, error = run("--phase", "2")

    assert error is None
    host = gate.http_hosts[1]
    assert (host["parameterFormatType"], host["httpAuthenticationMethod"]) == ("JSON", "MD5digest")
    assert (host["userName"], host["password"]) == ("camera", "Push&Pass<16>")
    assert "Push&Pass" not in output


def test_push_password_over_sixteen_characters_is_refused_before_touching_the_device(fake_camera):
    fake_camera.create_camera("CAM-01", push_username="camera", push_password="x" * 17)

    output, error = run()

    assert error is not None
    assert "Devices refuse a push password longer than 16 characters" in output
    assert fake_camera.requests == []


def test_dry_run_reads_but_writes_nothing(fake_camera):
    camera = fake_camera.create_camera("CAM-01", event_triggers=["VMD"])

    output, error = run("--dry-run")

    assert error is None
    assert fake_camera.requests_to("/ISAPI", "PUT") == []
    assert "would set HTTP host 1: (empty) -> http://192.168.1.50:8080/api/v1/events/camera" in output
    assert "would link trigger VMD" in output and "DRY RUN" in output
    assert "-> would change 2 setting(s)" in output and "OK (no change)" not in output
    assert "2 change(s) would be made" in output
    camera.refresh_from_db()
    assert not camera.push_configured and camera.serial_number == ""


def test_phase_and_camera_selection(fake_camera):
    fake_camera.create_camera("CAM-01", phase=1, event_triggers=["VMD"])

    output, error = run("--phase", "2")
    assert error is None and "0 camera(s)" in output and fake_camera.requests == []

    _, error = run("--camera", "CAM-99")
    assert "unknown or inactive camera(s): CAM-99" in str(error)
