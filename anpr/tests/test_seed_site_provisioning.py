"""The seed's five cameras, each emulated as its firmware behaves, set up as an installer would:
every script run again and again exits 0 and leaves the devices right."""

from __future__ import annotations

from contextlib import ExitStack
from io import StringIO

import pytest
from django.core.management import call_command

from anpr.models import Vehicle
from cameras.demo import SEED_CAMERAS
from cameras.models import Camera, CameraDrift
from cameras.provisioning.drift import repair_all
from cameras.testing.fake_isapi import DEFAULT_TRIGGERS, FakeISAPICamera

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend_address")]

ANPR = ("VMD", "vehicledetection")
FIRMWARE = {  # how each of the seed's devices answers
    "CAM-01": {"trigger_readback": "bare"},
    "CAM-02": {"trigger_readback": "no_host_id"},
    "CAM-03": {"trigger_readback": "standard"},
    "CAM-ENTRY": {
        "triggers": ANPR,
        "trigger_readback": "renamed",
        "list_search": False,
        "plate_write": "record",
    },
    "CAM-EXIT": {"triggers": ANPR, "list_search": False},
}
PLATE_MODES = {"CAM-ENTRY": Camera.PlateListMode.TRAFFIC, "CAM-EXIT": Camera.PlateListMode.USERINFO}


@pytest.fixture
def seed_site():
    with ExitStack() as stack:
        devices = {}
        for n, spec in enumerate(SEED_CAMERAS, start=60):
            firmware = {"triggers": DEFAULT_TRIGGERS, **FIRMWARE[spec["code"]]}
            cam = stack.enter_context(FakeISAPICamera(host=f"127.0.6.{n}", port=8600, **firmware))
            fields = {k: v for k, v in spec.items() if k not in ("code", "ip_address", "model")}
            cam.create_camera(
                spec["code"], plate_list_mode=PLATE_MODES.get(spec["code"], "traffic"), **fields
            )
            devices[spec["code"]] = cam
        yield devices


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)  # a failure raises CommandError: exit code 1
    return out.getvalue()


def test_setup_scripts_rerun_cleanly_on_every_device(seed_site):
    Vehicle.objects.create(plate="ABJ1234", owner_name="Ahmed Al-Sayed")
    Vehicle.objects.create(plate="DRS777", list=Vehicle.List.BLOCKED)

    pushes = [run("configure_cameras", "--phase", "all") for _ in range(3)]
    repairs = [repair_all(), repair_all()]
    plates = [run("configure_anpr_cameras") for _ in range(2)]

    assert "5 ok, 0 failed" in pushes[0] and all("0 change(s) made" in o for o in pushes[1:])
    assert [r.drifts for run_ in repairs for r in run_] == [[]] * 10 and not CameraDrift.objects.exists()
    assert Camera.objects.filter(push_configured=True).count() == 5
    for code, cam in seed_site.items():
        for trigger, notifications in cam.triggers.items():
            assert len([n for n in notifications if n["method"] == "HTTP"]) <= 1, (code, trigger)
    for gate in ("CAM-ENTRY", "CAM-EXIT"):
        assert [n["httpHostID"] for n in seed_site[gate].triggers["vehicledetection-1"]] == [1]
    assert {e["LicensePlate"]: e["listType"] for e in seed_site["CAM-ENTRY"].plates.values()} == {
        "ABJ1234": "whiteList",
        "DRS777": "blackList",
    }
    assert {u["cardNo"]: u["userType"] for u in seed_site["CAM-EXIT"].users.values()} == {
        "ABJ1234": "normal",
        "DRS777": "blackList",
    }
    assert all("2 ok, 0 failed" in o for o in plates)
