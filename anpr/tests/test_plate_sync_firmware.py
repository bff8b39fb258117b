"""Plate lists reach the gate whatever the firmware: with or without list search, either write form."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from anpr.models import Vehicle
from anpr.plate_sync import sync_all
from cameras.models import Camera
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = pytest.mark.django_db

MODES = [Camera.PlateListMode.TRAFFIC, Camera.PlateListMode.USERINFO]
STALE_PLATE = {
    "id": "7",
    "LicensePlate": "GONE999",
    "listType": "whiteList",
    "effectiveStartDate": "",
    "effectiveTime": "",
}
STALE_USER = {"employeeNo": "GONE999", "name": "Left", "userType": "normal", "cardNo": "GONE999"}


@pytest.fixture
def registry():
    Vehicle.objects.create(plate="ABJ1234", owner_name="Ahmed Al-Sayed")
    Vehicle.objects.create(plate="DRS777", owner_name="Banned", list=Vehicle.List.BLOCKED)


def configure_anpr(*args) -> str:
    out = StringIO()
    call_command("configure_anpr_cameras", *args, stdout=out)  # raises CommandError on failure
    return out.getvalue()


def on_device(cam: FakeISAPICamera, mode: str) -> dict[str, str]:
    if mode == Camera.PlateListMode.USERINFO:
        return {u["cardNo"]: u["userType"] for u in cam.users.values()}
    return {e["LicensePlate"]: e["listType"] for e in cam.plates.values()}


def gate(cam: FakeISAPICamera, mode: str, code: str = "CAM-ENTRY") -> Camera:
    cam.plates = {"7": dict(STALE_PLATE)}
    cam._next_plate_id = 8
    cam.users = {"GONE999": dict(STALE_USER)}
    return cam.create_camera(code, role=Camera.Role.ENTRY_GATE, plate_list_mode=mode)


WANTED = {
    Camera.PlateListMode.TRAFFIC: {"ABJ1234": "whiteList", "DRS777": "blackList"},
    Camera.PlateListMode.USERINFO: {"ABJ1234": "normal", "DRS777": "blackList"},
}


@pytest.mark.parametrize("list_search", [True, False], ids=["search", "no-search"])
@pytest.mark.parametrize("mode", MODES)
def test_configure_anpr_cameras_makes_the_device_match_the_registry(registry, mode, list_search):
    with FakeISAPICamera(host="127.0.6.20", list_search=list_search) as cam:
        camera = gate(cam, mode)

        outputs = [configure_anpr() for _ in range(2)]

        assert on_device(cam, mode) == WANTED[mode]
    replaced = "the device cannot search its plate list, so the whole list is written (replaced)"
    assert (replaced in outputs[0]) is not list_search
    camera.refresh_from_db()
    assert camera.plates_synced_at and camera.plate_sync_error == ""
    if not list_search:
        assert camera.plate_sync_note == "whole list replaced with 2 plate(s)"


def test_the_record_write_form_is_found_and_remembered(registry):
    with FakeISAPICamera(host="127.0.6.21", plate_write="record") as cam:
        camera = gate(cam, Camera.PlateListMode.TRAFFIC)

        configure_anpr()
        batch_writes = len(cam.requests_to("/ISAPI/Traffic/channels/1/licensePlateAuditData", "PUT"))
        Vehicle.objects.create(plate="NEW4321")
        configure_anpr()

        assert on_device(cam, "traffic") == {
            "ABJ1234": "whiteList",
            "DRS777": "blackList",
            "NEW4321": "whiteList",
        }
        record_writes = cam.requests_to("/ISAPI/Traffic/channels/1/licensePlateAuditData/record", "PUT")
        all_writes = cam.requests_to("/ISAPI/Traffic/channels/1/licensePlateAuditData", "PUT")
    camera.refresh_from_db()
    assert camera.plate_write_form == "record"
    assert len(record_writes) == 2 and len(all_writes) == batch_writes + 1  # batch not tried again


def test_record_form_without_list_search_replaces_the_list(registry):
    with FakeISAPICamera(host="127.0.6.22", plate_write="record", list_search=False) as cam:
        gate(cam, Camera.PlateListMode.TRAFFIC)

        output = configure_anpr()

        assert on_device(cam, "traffic") == WANTED["traffic"]
    assert "whole list replaced with 2 plate(s)" in output


def test_dry_run_counts_what_it_would_change(registry):
    with FakeISAPICamera(host="127.0.6.23") as cam:
        gate(cam, Camera.PlateListMode.TRAFFIC)

        output = configure_anpr("--dry-run")

        assert cam.plates == {"7": STALE_PLATE}
    assert "would change 3 setting(s)" in output and "OK (no change)" not in output
    assert "3 change(s) would be made" in output


def test_registry_changes_reach_every_gate_whatever_its_firmware(registry):
    with (
        FakeISAPICamera(host="127.0.6.24") as searchable,
        FakeISAPICamera(host="127.0.6.25", list_search=False, plate_write="record") as blind,
        FakeISAPICamera(host="127.0.6.26", list_search=False) as users,
    ):
        gate(searchable, "traffic", "CAM-ENTRY")
        gate(blind, "traffic", "CAM-EXIT")
        gate(users, "userinfo", "CAM-GATE-3")

        outcomes = sync_all()

        assert [o.ok for o in outcomes] == [True, True, True]
        assert on_device(searchable, "traffic") == on_device(blind, "traffic") == WANTED["traffic"]
        assert on_device(users, "userinfo") == WANTED["userinfo"]
    assert set(Camera.objects.values_list("plate_sync_error", flat=True)) == {""}


def test_the_cameras_page_shows_each_gates_plate_sync(registry, admin_client):
    with FakeISAPICamera(host="127.0.6.27", list_search=False) as cam:
        gate(cam, "traffic")
        configure_anpr()
        Camera.objects.create(
            code="CAM-EXIT",
            ip_address="127.0.6.28",
            role=Camera.Role.EXIT_GATE,
            plate_sync_error="CAM-EXIT: cannot connect (connection refused)",
        )

    page = admin_client.get("/cameras/").content.decode()
    admin_page = admin_client.get("/admin/cameras/camera/").content.decode()

    for html in (page, admin_page):
        assert "whole list replaced with 2 plate(s)" in html
        assert "Sync failed: CAM-EXIT: cannot connect (connection refused)" in html


def test_plate_sync_state_in_arabic(registry, admin_client):
    Camera.objects.create(
        code="CAM-EXIT",
        ip_address="127.0.6.29",
        role=Camera.Role.EXIT_GATE,
        plate_sync_error="CAM-EXIT: cannot connect (connection refused)",
    )
    Camera.objects.create(code="CAM-ENTRY", ip_address="127.0.6.30", role=Camera.Role.ENTRY_GATE)

    page = admin_client.get("/cameras/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert "فشلت المزامنة: CAM-EXIT: cannot connect" in page and "لم تتم المزامنة قط" in page
