from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cameras.models import Camera
from parking.models import OccupancySnapshot, Zone
from staff.tests.factories import visit

pytestmark = pytest.mark.django_db


def local(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def week():
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    for minutes in (30, 60, 240):
        visit(f"ABC{minutes}", local(yesterday, 8), minutes)
    visit("OPEN1", local(today, 0, 5), None)
    camera = Camera.objects.create(code="CAM-03", ip_address="10.0.0.3")
    zone = Zone.objects.create(camera=camera, code="row-a", name="Row A", capacity=10)
    for hour, count in [(9, 4), (10, 9), (11, 6)]:
        OccupancySnapshot.objects.create(zone=zone, taken_at=local(yesterday, hour), count=count, capacity=10)
    return {"today": today, "yesterday": yesterday, "zone": zone}


def test_report_figures_for_a_range(client_for, manager, week):
    page = client_for(manager).get(
        "/reports/",
        {
            "start": week["yesterday"].isoformat(),
            "end": week["today"].isoformat(),
            "zones": [week["zone"].pk],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    context = page.context
    assert context["entries"] == 4 and context["exits"] == 3
    assert context["overall"].median_seconds == 3600
    assert round(context["overall"].avg_seconds) == 110 * 60
    peak = context["occupancy"][0]["peak"]
    assert peak["count"] == 9 and peak["occupancy_percent"] == 90.0
    assert context["chart"]["entries"] == [3, 1]
    html = page.content.decode()
    assert "chart.umd.min.js" in html and 'id="report-data"' in html
    assert "1 h 00 min" in html  # median


def test_traffic_csv(client_for, manager, week):
    answer = client_for(manager).get(
        "/reports/",
        {"start": week["yesterday"].isoformat(), "end": week["today"].isoformat(), "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:3] == ["date", "category", "entries"]
    totals = {r[0]: r for r in rows[1:] if r[1] == "all"}
    assert totals[week["yesterday"].isoformat()][2:4] == ["3", "3"]
    assert totals[week["today"].isoformat()][2:4] == ["1", "0"]


def test_occupancy_csv(client_for, guard, week):
    answer = client_for(guard).get(
        "/reports/",
        {"start": week["yesterday"].isoformat(), "zones": [week["zone"].pk], "format": "occupancy-csv"},
    )
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == ["time", "zone", "count", "capacity", "occupancy_percent"]
    assert [r[2] for r in rows[1:]] == ["4", "9", "6"]


def test_a_reversed_range_is_an_error_not_a_crash(client_for, manager, week):
    page = client_for(manager).get(
        "/reports/", {"start": "2026-05-05", "end": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200 and "start date is after the end date" in page.content.decode()


def test_arabic_report_writes_arabic_digits(client_for, manager, week):
    html = (
        client_for(manager)
        .get("/reports/", {"start": week["yesterday"].isoformat()}, HTTP_ACCEPT_LANGUAGE="ar")
        .content.decode()
    )
    assert 'dir="rtl"' in html and "٤" in html
