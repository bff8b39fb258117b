"""configure_anpr_cameras and the background sync: device plate lists follow the registry."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from anpr.models import Vehicle
from cameras.models import Camera

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("configure_anpr_cameras", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.fixture
def registry():
    Vehicle.objects.create(plate="ABJ1234", owner_name="Ahmed Al-Sayed")
    Vehicle.objects.create(
        plate="XYZ5678",
        owner_name="Visitor Pass 1",
        category=Vehicle.Category.VISITOR,
        valid_from=date(2026, 3, 1),
        valid_until=date(2026, 3, 31),
    )
    Vehicle.objects.create(plate="DRS777", owner_name="Banned", list=Vehicle.List.BLOCKED)


@pytest.fixture
def gate_camera(fake_camera):
    return fake_camera.create_camera(
        "CAM-ENTRY", role=Camera.Role.ENTRY_GATE, phase=2, push_format=Camera.PushFormat.JSON
    )


def device_lists(fake_camera) -> dict[str, tuple]:
    return {
        e["LicensePlate"]: (e["listType"], e["effectiveStartDate"], e["effectiveTime"])
        for e in fake_camera.plates.values()
    }


def test_camera_lists_are_made_to_match_the_registry(fake_camera, gate_camera, registry):
    fake_camera.plates = {
        "1": {
            "id": "1",
            "LicensePlate": "OLD1111",
            "listType": "whiteList",
            "effectiveStartDate": "",
            "effectiveTime": "",
        },
        "2": {
            "id": "2",
            "LicensePlate": "DRS777",
            "listType": "whiteList",
            "effectiveStartDate": "",
            "effectiveTime": "",
        },
        "3": {
            "id": "3",
            "LicensePlate": "DRS777",
            "listType": "whiteList",
            "effectiveStartDate": "",
            "effectiveTime": "",
        },
    }
    fake_camera._next_plate_id = 10

    output, error = run()

    assert error is None
    assert device_lists(fake_camera) == {
        "ABJ1234": ("whiteList", "", ""),
        "XYZ5678": ("whiteList", "2026-03-01", "2026-03-31"),
        "DRS777": ("blackList", "", ""),
    }
    assert fake_camera.plates["2"]["listType"] == "blackList"  # updated in place
    assert fake_camera.anpr_enabled
    assert "Registry: 2 allowed, 1 blocked plate(s)" in output
    assert "plates synced (Device plate lists (allow / block)): 2 added, 1 updated, 2 deleted" in output
    gate_camera.refresh_from_db()
    assert gate_camera.plates_synced_at and gate_camera.plate_sync_error == ""


def test_rerun_writes_nothing(fake_camera, gate_camera, registry):
    run()
    writes = len(fake_camera.requests_to("/ISAPI/Traffic", "PUT"))

    output, error = run()

    assert error is None and "0 added, 0 updated, 0 deleted, 3 unchanged" in output
    assert len(fake_camera.requests_to("/ISAPI/Traffic", "PUT")) == writes + 1  # vehicleDetect only


def test_userinfo_devices_get_users_with_the_plate_as_card(fake_camera, registry):
    fake_camera.create_camera(
        "CAM-EXIT", role=Camera.Role.EXIT_GATE, plate_list_mode=Camera.PlateListMode.USERINFO
    )
    fake_camera.users = {"GONE1": {"employeeNo": "GONE1", "name": "Left", "userType": "normal"}}

    output, error = run()

    assert error is None
    users = fake_camera.users
    assert sorted(users) == ["ABJ1234", "DRS777", "XYZ5678"]
    assert users["DRS777"]["userType"] == "blackList" and users["DRS777"]["cardNo"] == "DRS777"
    assert users["XYZ5678"]["userType"] == "visitor"
    assert users["XYZ5678"]["Valid"] == {
        "enable": True,
        "beginTime": "2026-03-01T00:00:00",
        "endTime": "2026-03-31T23:59:59",
    }
    assert users["ABJ1234"]["name"] == "Ahmed Al-Sayed"
    assert "3 added, 0 updated, 1 deleted" in output


def test_recognition_setting_not_supported_is_a_warning(fake_camera, gate_camera, registry):
    fake_camera.fail("/ISAPI/Traffic/channels/1/vehicleDetect", "notSupport")

    output, error = run()

    assert error is None
    assert "WARNING: plate recognition setting not supported by the device, skipped" in output
    assert len(fake_camera.plates) == 3


def test_device_error_during_sync_fails_with_exit_code(fake_camera, gate_camera, registry):
    fake_camera.fail("/ISAPI/Traffic/channels/1/licensePlateAuditData", "deviceError")

    output, error = run()

    assert "failed: CAM-ENTRY" in str(error)
    assert (
        "FAILED: CAM-ENTRY: /ISAPI/Traffic/channels/1/licensePlateAuditData?format=json refused: deviceError"
        in output
    )
    gate_camera.refresh_from_db()
    assert "deviceError" in gate_camera.plate_sync_error and gate_camera.plates_synced_at is None


def test_dry_run_writes_nothing(fake_camera, gate_camera, registry):
    output, error = run("--dry-run")

    assert error is None and "would sync" in output and "3 added" in output
    assert fake_camera.plates == {} and fake_camera.requests_to("/ISAPI", "PUT") == []


def test_non_gate_cameras_are_not_touched(fake_camera, registry):
    fake_camera.create_camera("CAM-01", role=Camera.Role.PERIMETER)

    output, error = run()

    assert error is None and "0 camera(s)" in output and fake_camera.requests == []


def test_registry_changes_are_synced_in_the_background(
    fake_camera, gate_camera, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Vehicle.objects.create(plate="ABJ1234", owner_name="Ahmed")
    assert device_lists(fake_camera) == {"ABJ1234": ("whiteList", "", "")}

    with django_capture_on_commit_callbacks(execute=True):
        Vehicle.objects.filter(plate="ABJ1234").get().delete()
        Vehicle.objects.create(plate="DRS777", list=Vehicle.List.BLOCKED)
    assert device_lists(fake_camera) == {"DRS777": ("blackList", "", "")}


def test_a_device_without_plate_lists_says_which_mode_to_choose(registry):
    from cameras.testing.fake_isapi import FakeISAPICamera

    with FakeISAPICamera(plate_lists=False) as cam:
        cam.create_camera("CAM-ENTRY", role=Camera.Role.ENTRY_GATE)
        output, error = run()

    assert error is not None
    assert "WARNING: plate recognition setting not supported" in output
    assert (
        "notSupport — the device takes no device plate lists (allow / block) at all; check this "
        "camera's plate list mode"
    ) in output
    assert "cannot search" not in output  # the lists are missing, not just their search
