"""Camera-supplied values longer than their columns are cut and flagged, never a failed event."""

from __future__ import annotations

from pathlib import Path

import pytest

from anpr.models import GatePassage, Visit
from cameras.ingest import Push, receive_push
from cameras.models import CameraEvent

FIXTURES = Path(__file__).resolve().parents[2] / "cameras" / "tests" / "fixtures"
pytestmark = pytest.mark.django_db

LONG_PLATE = "AB" + "1234567890" * 4  # 42 characters; the plate columns hold 20


def anpr_push(plate: str, direction: str = "forward", color: str = "white") -> bytes:
    body = (FIXTURES / "hikvision_ver20_anpr_plate.xml").read_text()
    body = body.replace("<licensePlate>KH35192<", f"<licensePlate>{plate}<")
    body = body.replace("<direction>forward<", f"<direction>{direction}<")
    return body.replace("<color>white<", f"<color>{color}<").encode()


def test_a_plate_longer_than_the_column_is_cut_and_flagged_and_processed(entry_camera):
    result = receive_push(
        Push(body=anpr_push(LONG_PLATE), content_type="application/xml", source_ip="192.168.1.104")
    )

    event = CameraEvent.objects.get()
    assert result.status == "accepted", result.reason
    assert event.status == CameraEvent.Status.ACCEPTED and event.reason == ""
    assert event.plate == LONG_PLATE[:20]
    assert "licensePlate" in event.extra["truncated"]
    assert len(GatePassage.objects.get().plate) <= 20
    assert Visit.objects.count() == 1


def test_every_bounded_field_is_named_when_cut(entry_camera):
    receive_push(
        Push(
            body=anpr_push("ABC1234", direction="d" * 300, color="c" * 300),
            content_type="application/xml",
            source_ip="192.168.1.104",
        )
    )

    event = CameraEvent.objects.get()
    assert (len(event.direction), len(event.vehicle_color)) == (20, 30)
    assert set(event.extra["truncated"]) == {"direction", "color"}
