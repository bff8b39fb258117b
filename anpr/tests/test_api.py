from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from anpr.models import Vehicle

from .conftest import MORNING, user_with

pytestmark = pytest.mark.django_db


def test_vehicles_need_login_and_model_permissions(client):
    assert client.get("/api/v1/vehicles").status_code in (401, 403)
    client.force_login(user_with("anpr.view_vehicle"))
    assert client.get("/api/v1/vehicles").status_code == 200
    assert client.post("/api/v1/vehicles", {"plate": "ABJ1234"}).status_code == 403
    assert client.get("/api/v1/stats/daily").status_code == 403


def test_register_a_vehicle_the_seed_way_with_query_parameters(manager_client):
    answer = manager_client.post(
        "/api/v1/vehicles?plate=ABC-1234&owner_name=Ahmed&vehicle_type=employee&employee_id=EMP-1"
    )

    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "registered"
    assert answer.json()["plate"] == "ABC1234"
    assert Vehicle.objects.get().owner_name == "Ahmed"


def test_register_with_json_in_arabic_shows_both_scripts(manager_client):
    answer = manager_client.post(
        "/api/v1/vehicles",
        {"plate": "أ ب ح ١٢٣٤", "owner_name": "Sara", "category": "vip"},
        content_type="application/json",
    )

    body = answer.json()
    assert (body["plate"], body["plate_display"], body["plate_arabic"]) == (
        "ABJ1234",
        "ABJ 1234",
        "ا ب ح ١٢٣٤",
    )


def test_adding_an_existing_plate_warns_and_keeps_the_registered_vehicle(manager_client, employee_vehicle):
    answer = manager_client.post(
        "/api/v1/vehicles",
        {"plate": "1234 ABJ", "owner_name": "Someone else"},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert "already registered" in answer.json()["plate"][0]
    employee_vehicle.refresh_from_db()
    assert employee_vehicle.owner_name == "Ahmed Al-Sayed"


def test_not_a_plate_is_refused(manager_client):
    answer = manager_client.post("/api/v1/vehicles", {"plate": "unknown"}, content_type="application/json")
    assert answer.status_code == 400


def test_update_and_delete_by_plate_in_either_script(manager_client, employee_vehicle):
    answer = manager_client.patch(
        "/api/v1/vehicles/ABJ-1234", {"list": "blocked"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["list"] == "blocked"

    answer = manager_client.delete("/api/v1/vehicles/ا ب ح ١٢٣٤")
    assert answer.status_code == 200
    assert answer.json() == {"status": "removed", "plate": "ABJ1234"}
    assert not Vehicle.objects.exists()
    assert manager_client.delete("/api/v1/vehicles/ABJ1234").status_code == 404


def test_list_filters_by_category_and_searches_in_arabic(manager_client, employee_vehicle, visitor_vehicle):
    visitors = manager_client.get("/api/v1/vehicles?vehicle_type=visitor").json()["results"]
    assert [v["plate"] for v in visitors] == ["XYZ5678"]
    found = manager_client.get("/api/v1/vehicles?plate=ب ح").json()["results"]
    assert [v["plate"] for v in found] == ["ABJ1234"]


def test_lookup_known_probable_and_unknown(manager_client, employee_vehicle):
    known = manager_client.get("/api/v1/vehicles/lookup/ابح١٢٣٤").json()
    assert (known["status"], known["registered"], known["owner"], known["type"]) == (
        "known",
        True,
        "Ahmed Al-Sayed",
        "employee",
    )

    probable = manager_client.get("/api/v1/vehicles/lookup/A8J-1234").json()
    assert (probable["status"], probable["match"], probable["canonical_plate"]) == (
        "probable",
        "probable",
        "A8J1234",
    )
    assert probable["vehicle"]["plate"] == "ABJ1234"

    unknown = manager_client.get("/api/v1/vehicles/lookup/QQQ999").json()
    assert (unknown["status"], unknown["registered"]) == ("unknown", False)


def test_entry_exit_log_filters_by_plate_in_either_script_gate_and_category(
    manager_client, entry_camera, exit_camera, read_plate, employee_vehicle
):
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "GKL999", MORNING + timedelta(minutes=1))
    read_plate(exit_camera, "ABJ1234", MORNING + timedelta(minutes=90))

    rows = manager_client.get("/api/v1/entry-exit?plate=ب ح ١").json()["results"]
    assert [(r["gate"], r["plate_number"]) for r in rows] == [("exit", "ABJ1234"), ("entry", "ABJ1234")]
    exit_row = rows[0]
    assert exit_row["parking_duration"] == 5400 and exit_row["matched_entry_id"] == rows[1]["id"]
    assert exit_row["camera_id"] == "CAM-EXIT" and exit_row["vehicle_type"] == "employee"

    unknown = manager_client.get("/api/v1/entry-exit?category=unknown&gate=entry").json()["results"]
    assert [r["plate_number"] for r in unknown] == ["GKL999"]
    limited = manager_client.get("/api/v1/entry-exit?limit=1").json()
    assert limited["count"] == 3 and len(limited["results"]) == 1
    assert limited["count_capped"] is False
    by_plate = manager_client.get("/api/v1/entry-exit?plate=ا ب ح ١٢٣٤").json()["results"]
    assert len(by_plate) == 2
    misread = manager_client.get("/api/v1/entry-exit?plate=A8J-1234").json()["results"]
    assert len(misread) == 2  # one confusable character away still finds the car
    assert len(manager_client.get("/api/v1/entry-exit?plate=BJ1").json()["results"]) == 2
    assert manager_client.get("/api/v1/entry-exit?plate=ZZ9").json()["results"] == []


def test_entry_exit_count_stops_at_the_cap(manager_client, entry_camera, read_plate, monkeypatch):
    from anpr.api.pagination import CappedCountPagination

    monkeypatch.setattr(CappedCountPagination, "COUNT_CAP", 2)
    for n in range(3):
        read_plate(entry_camera, f"KSA10{n}", MORNING + timedelta(minutes=n))
    body = manager_client.get("/api/v1/entry-exit?limit=1").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (2, True, 1)


def test_count_today_uses_the_facility_day(
    manager_client, entry_camera, exit_camera, read_plate, monkeypatch
):
    now = datetime(2026, 2, 20, 21, 30, tzinfo=UTC)  # 00:30 on the 21st in Riyadh
    monkeypatch.setattr(timezone, "now", lambda: now)
    read_plate(entry_camera, "ABJ1234", now - timedelta(hours=1))  # 23:30 on the 20th
    read_plate(entry_camera, "DEF200", now - timedelta(minutes=20))
    read_plate(entry_camera, "GHJ300", now - timedelta(minutes=10))
    read_plate(exit_camera, "DEF200", now - timedelta(minutes=5))

    body = manager_client.get("/api/v1/entry-exit/count/today").json()
    assert body == {"date": "2026-02-21", "entries": 2, "exits": 1, "currently_parked": 2}


def test_parking_time_and_daily_stats(manager_client, entry_camera, exit_camera, read_plate):
    for plate, minutes in (("ABJ1234", 60), ("DEF200", 90), ("GHJ300", 240)):
        read_plate(entry_camera, plate, MORNING)
        read_plate(exit_camera, plate, MORNING + timedelta(minutes=minutes))

    parking = manager_client.get("/api/v1/stats/parking-time?target_date=2026-02-20").json()
    assert parking["avg_parking_minutes"] == 130.0 and parking["median_parking_minutes"] == 90.0
    assert parking["avg_parking_seconds"] == 7800 and parking["visits"] == 3
    daily = manager_client.get("/api/v1/stats/daily?target_date=2026-02-20").json()
    assert (daily["date"], daily["total_vehicles"], daily["exits"]) == ("2026-02-20", 3, 3)
    assert daily["avg_parking_minutes"] == 130.0
    assert manager_client.get("/api/v1/stats/daily?target_date=20-02").status_code == 400


def test_range_series_per_day_and_category_as_json_and_csv(
    manager_client, entry_camera, exit_camera, read_plate, visitor_vehicle
):
    read_plate(entry_camera, "XYZ5678", MORNING)
    read_plate(exit_camera, "XYZ5678", MORNING + timedelta(minutes=30))
    read_plate(entry_camera, "GKL999", MORNING + timedelta(days=1))

    body = manager_client.get("/api/v1/stats/range?date_from=2026-02-19&date_to=2026-02-21").json()
    assert [d["date"] for d in body["days"]] == ["2026-02-19", "2026-02-20", "2026-02-21"]
    first, second, third = body["days"]
    assert (first["entries"], second["entries"], second["exits"], third["entries"]) == (0, 1, 1, 1)
    assert second["by_category"]["visitor"]["median_parking_minutes"] == 30.0
    assert third["by_category"]["unknown"]["entries"] == 1

    answer = manager_client.get("/api/v1/stats/range?date_from=2026-02-19&date_to=2026-02-21&format=csv")
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:3] == ["date", "category", "entries"]
    assert ["2026-02-20", "visitor", "1", "1", "1", "30.0", "30.0"] in rows


def test_range_refuses_reversed_or_too_long_periods(manager_client):
    assert (
        manager_client.get("/api/v1/stats/range?date_from=2026-03-01&date_to=2026-02-01").status_code == 400
    )
    assert (
        manager_client.get("/api/v1/stats/range?date_from=2020-01-01&date_to=2026-02-01").status_code == 400
    )


def test_a_list_body_is_refused_cleanly(manager_client):
    answer = manager_client.post("/api/v1/vehicles", [{"plate": "ABJ1234"}], content_type="application/json")
    assert answer.status_code == 400


@pytest.mark.django_db
def test_updating_a_vehicle_with_a_list_body_is_a_400(client, django_user_model):
    from rest_framework.test import APIClient

    from anpr.models import Vehicle

    Vehicle.objects.create(plate="ABC1234")
    api = APIClient()
    api.force_authenticate(django_user_model.objects.create_superuser("su", "su@e.com", "x-pw-1"))
    assert api.put("/api/v1/vehicles/ABC1234", [None, None], format="json").status_code == 400
    assert api.patch("/api/v1/vehicles/ABC1234", [None, None], format="json").status_code == 400
