from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anpr.models import Gate, Vehicle
from cameras.models import CameraEvent, EventPicture
from staff.tests.factories import gate_cameras, passage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("facility_afternoon")]


@pytest.fixture
def passages():
    now = timezone.now()
    employee = Vehicle.objects.create(plate="ABJ1234", owner_name="Khalid", category="employee")
    return {
        "abj": passage("ABJ1234", Gate.ENTRY, now - timedelta(minutes=30), "employee", vehicle=employee),
        "xyz": passage("XDR5678", Gate.EXIT, now - timedelta(minutes=10), "visitor"),
        "old": passage("ABJ1234", Gate.ENTRY, now - timedelta(days=3), "employee", vehicle=employee),
    }


def shown(page) -> list[int]:
    return [p.pk for p in page.context["listing"]]


def test_log_shows_todays_passages_newest_first(client_for, guard, passages):
    page = client_for(guard).get("/log/")
    assert shown(page) == [passages["xyz"].pk, passages["abj"].pk]


@pytest.mark.parametrize("typed", ["ABJ 1234", "abj1234", "أ ب ح ١٢٣٤", "١٢٣٤", "ب ح"])
def test_plate_search_in_either_script(client_for, guard, passages, typed):
    page = client_for(guard).get("/log/", {"plate": typed})
    assert shown(page) == [passages["abj"].pk]


def test_date_range_gate_and_category(client_for, manager, passages):
    client = client_for(manager)
    start = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert set(shown(client.get("/log/", {"start": start, "gate": "entry"}))) == {
        passages["abj"].pk,
        passages["old"].pk,
    }
    assert shown(client.get("/log/", {"start": start, "category": "visitor"})) == [passages["xyz"].pk]


def test_a_start_after_the_end_is_refused_not_ignored(client_for, guard, passages):
    page = client_for(guard).get(
        "/log/", {"start": "2026-05-02", "end": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert shown(page) == [] and "start date is after the end date" in page.content.decode()


def test_both_plate_scripts_and_pictures_are_shown(client_for, guard):
    entry, _ = gate_cameras()
    event = CameraEvent.objects.create(
        camera=entry, event_type="ANPR", plate="ABJ1234", trigger_time=timezone.now()
    )
    picture = EventPicture.objects.create(
        event=event, name="licensePlatePicture.jpg", image=SimpleUploadedFile("plate.jpg", b"\xff\xd8jpeg")
    )
    passage("ABJ1234", Gate.ENTRY, timezone.now(), event=event)
    html = client_for(guard).get("/log/").content.decode()
    assert "ABJ 1234" in html and "ا ب ح ١٢٣٤" in html and picture.image.url in html


def test_csv_exports_exactly_what_the_filters_select(client_for, guard, passages):
    start = (timezone.localdate() - timedelta(days=5)).isoformat()
    answer = client_for(guard).get(
        "/log/", {"start": start, "plate": "ABJ", "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0][:3] == ["time", "gate", "plate"]
    assert [r[2] for r in rows[1:]] == ["ABJ 1234", "ABJ 1234"]
    assert all(r[7] == "Khalid" for r in rows[1:])
    assert rows[1][0].endswith("+03:00")  # facility time, with its offset


def test_confidence_is_the_cameras_percentage(client_for, guard, passages):
    """Cameras send 0–100 (confidenceLevel 93), not a ratio: 93%, never 9,300%."""
    html = client_for(guard).get("/log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">93%<" in html and "9,300%" not in html
    assert ">٩٣٪<" in client_for(guard).get("/log/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()


def test_the_filters_say_all(client_for, guard, passages):
    html = client_for(guard).get("/log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "---------" not in html
    assert html.count('<option value="" selected>All</option>') == 2
    assert "multiple" not in html.split('name="category"')[1].split(">")[0]
