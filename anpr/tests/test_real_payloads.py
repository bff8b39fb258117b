"""Plate pushes as real cameras send them, through the ingest pipeline, to gate passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from anpr.models import GatePassage, Visit
from cameras.ingest import Push, receive_push

FIXTURES = Path(__file__).resolve().parents[2] / "cameras" / "tests" / "fixtures"
pytestmark = pytest.mark.django_db


def content_type_of(name: str, body: bytes) -> str:
    if name.endswith(".bin"):
        boundary = body.split(b"\r\n", 1)[0].lstrip(b"-").decode()
        return f"multipart/form-data; boundary={boundary}"
    return "application/json" if name.endswith(".json") else "application/xml"


@pytest.mark.parametrize(
    "name,plate,pictures",
    [
        ("hikvision_ver20_anpr_plate.xml", "KH35192", 0),
        ("hikvision_json_anpr.json", "ABC1234", 0),
        ("seed_access_controller.json", "ABC1234", 0),
        ("multipart_anpr_xml.bin", "KH35192", 2),
        ("multipart_anpr_json.bin", "ABC1234", 1),
        ("multipart_access_controller.bin", "ABC1234", 1),
    ],
)
def test_each_real_plate_push_at_the_entry_gate_opens_a_visit(entry_camera, name, plate, pictures):
    body = (FIXTURES / name).read_bytes()
    result = receive_push(
        Push(body=body, content_type=content_type_of(name, body), source_ip="192.168.1.104")
    )

    assert result.status == "accepted", result.reason
    passage = GatePassage.objects.get()
    assert (passage.gate, passage.plate) == ("entry", plate)
    assert passage.event.pictures.count() == pictures
    assert Visit.objects.get().status == Visit.Status.OPEN


def test_the_real_unknown_read_is_an_unread_passage(exit_camera):
    body = (FIXTURES / "hikvision_ver20_anpr_unknown.xml").read_bytes()
    receive_push(Push(body=body, content_type="application/xml", source_ip="192.168.1.105"))

    passage = GatePassage.objects.get()
    assert passage.is_unread and passage.gate == "exit"
    assert not Visit.objects.exists()
