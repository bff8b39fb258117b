"""Both ANPR formats through the real webhook over HTTP, to a visit with its duration."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anpr.models import GatePassage, Visit
from cameras import simulator
from cameras.models import CameraEvent

from .conftest import user_with

pytestmark = pytest.mark.django_db(transaction=True)


def push(server, camera_ip: str, body: bytes, content_type: str) -> dict:
    answer = requests.post(
        f"{server.url}/api/v1/events/camera",
        data=body,
        timeout=10,
        headers={"Content-Type": content_type, "X-Forwarded-For": camera_ip},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_hikvision_anpr_multipart_entry_and_access_controller_exit_make_a_timed_visit(
    live_server, entry_camera, exit_camera, employee_vehicle
):
    entered = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    document = simulator.anpr_xml("ا ب ح ١٢٣٤", entered)
    body, content_type = simulator.multipart(document, "anpr.xml", pictures=2)

    entry = push(live_server, "192.168.1.104", body, content_type)
    exit_ = push(
        live_server,
        "192.168.1.105",
        simulator.access_controller_json("ABJ-1234", entered + timedelta(minutes=105)),
        "application/json",
    )

    assert (entry["status"], entry["event_type"]) == ("accepted", "ANPR")
    assert (exit_["status"], exit_["event_type"]) == ("accepted", "AccessControllerEvent")
    visit = Visit.objects.get()
    assert visit.status == Visit.Status.CLOSED and visit.duration_seconds == 105 * 60
    assert visit.vehicle == employee_vehicle
    assert visit.entry.event.pictures.count() == 2
    assert "anpr.gate_passage" in CameraEvent.objects.get(pk=entry["event_id"]).handled_by

    token = Token.objects.create(user=user_with("anpr.view_gatepassage", "anpr.view_visit"))
    auth = {"Authorization": f"Token {token.key}"}
    rows = requests.get(f"{live_server.url}/api/v1/entry-exit", headers=auth, timeout=10).json()
    exit_row, entry_row = rows["results"]
    assert exit_row["parking_duration"] == 6300 and exit_row["matched_entry_id"] == entry_row["id"]
    assert len(entry_row["pictures"]) == 2
    picture = requests.get(entry_row["pictures"][0], timeout=10)
    assert picture.status_code == 200 and picture.content == simulator.TINY_JPEG
    day = timezone.localdate(entered + timedelta(minutes=105)).isoformat()
    stats = requests.get(
        f"{live_server.url}/api/v1/stats/parking-time?target_date={day}", headers=auth, timeout=10
    ).json()
    assert stats["avg_parking_minutes"] == 105.0 and stats["visits"] == 1


def test_unknown_plate_read_over_http_is_kept_as_an_unread_passage(live_server, entry_camera):
    answer = push(live_server, "192.168.1.104", simulator.anpr_xml("unknown"), "application/xml")

    assert answer["status"] == "accepted"
    passage = GatePassage.objects.get()
    assert passage.is_unread and passage.event_id == answer["event_id"]
    assert not Visit.objects.exists()
