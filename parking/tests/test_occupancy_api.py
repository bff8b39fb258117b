"""/api/v1/occupancy: read, capacity, reset and corrections with the ledger."""

from __future__ import annotations

import pytest

from parking.models import OccupancyChange, Zone

from .conftest import enter

VIEW = "parking.view_zone"


@pytest.fixture
def row_a_with_vehicles(row_a):
    enter("parking-row-A", 4)
    return row_a


def test_occupancy_lists_every_zone_with_percent_and_full_flag(api_as, row_a_with_vehicles):
    enter("7")  # an unknown region: shown so staff can configure it

    response = api_as(VIEW).get("/api/v1/occupancy")

    assert response.status_code == 200
    by_code = {zone["zone_id"]: zone for zone in response.json()}
    row = by_code["parking-row-A"]
    assert (row["current_count"], row["max_capacity"], row["occupancy_percent"], row["is_full"]) == (
        4,
        10,
        40.0,
        False,
    )
    assert row["camera_id"] == "CAM-03" and row["floor_name"] == "Ground Floor"
    assert by_code["7"]["configured"] is False and by_code["7"]["max_capacity"] is None


def test_zone_detail_by_id_or_region_code(api_as, row_a_with_vehicles):
    client = api_as(VIEW)

    by_id = client.get(f"/api/v1/occupancy/{row_a_with_vehicles.pk}").json()
    by_code = client.get("/api/v1/occupancy/parking-row-A").json()

    assert by_id == by_code
    assert client.get("/api/v1/occupancy/no-such-zone").status_code == 404


def test_unconfigured_zones_can_be_listed_alone(api_as, row_a):
    enter("9")

    response = api_as(VIEW).get("/api/v1/occupancy?configured=false")

    assert [zone["zone_id"] for zone in response.json()] == ["9"]


def test_setting_capacity_configures_the_zone(api_as, indoor_camera):
    enter("5", 3)
    zone = Zone.objects.get(code="5")

    response = api_as(VIEW, "parking.change_zone").put(
        f"/api/v1/occupancy/{zone.pk}/capacity", {"max_capacity": 4}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["max_capacity"] == 4
    zone.refresh_from_db()
    assert zone.capacity == 4 and zone.configured


def test_setting_capacity_needs_the_change_permission(api_as, row_a):
    response = api_as(VIEW).put(f"/api/v1/occupancy/{row_a.pk}/capacity", {"max_capacity": 4}, format="json")

    assert response.status_code == 403
    row_a.refresh_from_db()
    assert row_a.capacity == 10


def test_reset_needs_a_reason_and_is_recorded_with_the_user(api_as, row_a_with_vehicles):
    client = api_as(VIEW, "parking.change_zone", "parking.correct_zone_count", username="guard1")
    url = f"/api/v1/occupancy/{row_a_with_vehicles.pk}/reset"

    assert client.put(url, {}, format="json").status_code == 400
    response = client.put(url, {"reason": "Lot emptied after the event"}, format="json")

    assert response.status_code == 200
    assert response.json()["current_count"] == 0
    change = OccupancyChange.objects.get(pk=response.json()["ledger_id"])
    assert (change.cause, change.delta, change.count_after) == (OccupancyChange.Cause.RESET, -4, 0)
    assert change.user.username == "guard1" and change.reason == "Lot emptied after the event"


def test_reset_without_the_correct_permission_is_refused(api_as, row_a_with_vehicles):
    response = api_as(VIEW, "parking.change_zone").put(
        f"/api/v1/occupancy/{row_a_with_vehicles.pk}/reset", {"reason": "x"}, format="json"
    )

    assert response.status_code == 403
    row_a_with_vehicles.refresh_from_db()
    assert row_a_with_vehicles.current_count == 4


def test_a_correction_shows_in_the_ledger_explaining_the_count(api_as, row_a_with_vehicles):
    corrector = api_as(VIEW, "parking.change_zone", "parking.correct_zone_count", username="mgr")
    corrector.put(
        f"/api/v1/occupancy/{row_a_with_vehicles.pk}/count",
        {"count": 7, "reason": "Walked the row"},
        format="json",
    )
    enter("parking-row-A")

    ledger = (
        api_as("parking.view_occupancychange", username="auditor")
        .get(f"/api/v1/occupancy/ledger?zone_id={row_a_with_vehicles.pk}")
        .json()["results"]
    )

    assert [(c["cause"], c["delta"], c["count_after"]) for c in ledger] == [
        ("camera_event", 1, 8),
        ("correction", 3, 7),
        ("camera_event", 1, 4),
        ("camera_event", 1, 3),
        ("camera_event", 1, 2),
        ("camera_event", 1, 1),
    ]
    assert ledger[1]["user"] == "mgr" and ledger[1]["reason"] == "Walked the row"
    assert ledger[0]["event_type"] == "regionEntrance"


def test_anonymous_requests_are_refused(client, row_a):
    assert client.get("/api/v1/occupancy").status_code in (401, 403)


def test_a_region_code_used_by_two_cameras_must_be_asked_for_by_id(api_as, row_a, indoor_camera):
    other = indoor_camera.__class__.objects.create(code="CAM-04", ip_address="192.168.1.106")
    Zone.objects.create(camera=other, code="parking-row-A", name="Row A, second camera")

    response = api_as(VIEW).get("/api/v1/occupancy/parking-row-A")

    assert response.status_code == 400
    assert "use the zone's id" in str(response.json())
