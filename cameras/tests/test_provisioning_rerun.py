"""Provisioning run again and again, on firmware that reads triggers back in its own way."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cameras.models import Camera, CameraDrift
from cameras.provisioning.drift import repair_all
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend_address")]

TRIGGERS = ["fielddetection", "linedetection", "regionEntrance", "regionExiting", "VMD"]
READBACKS = ["standard", "no_host_id", "renamed", "bare"]
NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def configure(*args) -> str:
    out = StringIO()
    call_command("configure_cameras", *args, stdout=out)  # raises CommandError on any failure
    return out.getvalue()


def http_entries(cam: FakeISAPICamera, trigger: str) -> list[dict]:
    return [n for n in cam.triggers[f"{trigger}-1"] if n["method"] == "HTTP"]


@pytest.mark.parametrize("readback", READBACKS)
def test_configure_cameras_three_times_leaves_one_link_per_trigger(readback):
    with FakeISAPICamera(host="127.0.6.1", trigger_readback=readback) as cam:
        cam.triggers["VMD-1"] = [
            {"id": "center", "method": "center", "recurrence": "beginning", "httpHostID": None}
        ]
        cam.create_camera("CAM-03", event_triggers=TRIGGERS)

        outputs = [configure("--phase", "all") for _ in range(3)]

        assert all(len(http_entries(cam, t)) == 1 for t in TRIGGERS)
        assert [n["method"] for n in cam.triggers["VMD-1"]] == ["center", "HTTP"]  # kept, not replaced
    assert "-> OK" in outputs[0] and "trigger VMD linked" in outputs[0]
    assert all(
        "OK (no change)" in o and "linked\n" not in o.replace("already linked", "") for o in outputs[1:]
    )
    assert Camera.objects.get(code="CAM-03").push_configured


def test_old_code_path_would_have_been_refused_by_the_device():
    """The fake refuses what real firmware refuses: a second HTTP entry for the same host."""
    from cameras.isapi import EventTrigger, ISAPIClient, TriggerNotification

    with FakeISAPICamera(host="127.0.6.2", trigger_readback="no_host_id") as cam:
        camera = cam.create_camera("CAM-01", event_triggers=["VMD"])
        configure()
        doubled = EventTrigger(
            "VMD-1", "VMD", (TriggerNotification("HTTP-1", "HTTP"), TriggerNotification("HTTP-1", "HTTP", 1))
        )
        with ISAPIClient.for_camera(camera) as device, pytest.raises(Exception) as refused:
            device.set_event_trigger(doubled, "VMD")
    assert "badXmlContent: duplicate EventTriggerNotification id" in str(refused.value)


@pytest.mark.parametrize("readback", READBACKS)
def test_hourly_repair_twice_finds_no_false_drift(readback):
    with FakeISAPICamera(host="127.0.6.3", trigger_readback=readback) as cam:
        cam.create_camera("CAM-01", event_triggers=["fielddetection", "VMD"])
        configure()
        puts = len(cam.requests_to("/ISAPI", "PUT"))

        first, second = repair_all(now=NOON), repair_all(now=NOON)

        assert len(cam.requests_to("/ISAPI", "PUT")) == puts
    assert [r.drifts for r in first + second] == [[], []]
    assert not CameraDrift.objects.exists()
    assert Camera.objects.get(code="CAM-01").push_configured


@pytest.mark.parametrize("readback", READBACKS)
def test_hourly_repair_after_a_reset_relinks_once_then_is_quiet(readback):
    with FakeISAPICamera(host="127.0.6.4", trigger_readback=readback) as cam:
        cam.create_camera("CAM-01", event_triggers=["VMD"])
        configure()
        cam.factory_reset_push()

        first, second = repair_all(now=NOON), repair_all(now=NOON)

        assert len(http_entries(cam, "VMD")) == 1 and cam.http_hosts[1]["portNo"] == 8080
    assert first[0].repaired and second[0].drifts == []
    assert Camera.objects.get(code="CAM-01").push_configured


def test_host_read_back_without_optional_fields_is_no_drift():
    with FakeISAPICamera(host="127.0.6.5") as cam:
        cam.create_camera("CAM-01", push_format=Camera.PushFormat.JSON, event_triggers=["VMD"])
        configure()
        for field in ("parameterFormatType", "protocolType", "addressingFormatType"):
            cam.http_hosts[1].pop(field)

        results = repair_all(now=NOON)

    assert results[0].drifts == [] and not CameraDrift.objects.exists()


def test_a_failed_camera_fails_the_run():
    with FakeISAPICamera(host="127.0.6.6") as cam:
        cam.create_camera("CAM-01", event_triggers=["VMD"])
        cam.fail("/ISAPI/Event/triggers/VMD-1", "deviceError", method="PUT")
        with pytest.raises(CommandError):
            configure()
    assert Camera.objects.get(code="CAM-01").provision_error.endswith("refused: deviceError")
