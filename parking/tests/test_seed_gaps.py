"""Issue 21's seed gaps: floors never count past their slots, uncounted vision events say why
and raise one configuration alert, and setting an unknown zone's capacity creates it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parking.models import Floor, OccupancyChange, Zone

from .conftest import enter

EVENTS = ("parking.add_vehicleevent", "parking.view_vehicleevent")


@pytest.fixture
def two_slot_floor(db) -> Floor:
    return Floor.objects.create(name="Roof", level=3, total_slots=2, count_source=Floor.CountSource.EVENTS)


@pytest.fixture
def zone_floor(db) -> Floor:
    return Floor.objects.create(name="Basement", level=-1, total_slots=20)


def post_event(client, floor, track: str, direction: str = "entry", minutes: int = 0):
    moment = timezone.now() - timedelta(minutes=30 - minutes)
    return client.post(
        "/api/v1/parking/events",
        {
            "camera_id": "cam_001",
            "floor_id": floor.pk,
            "track_id": track,
            "vehicle_type": "car",
            "direction": direction,
            "confidence": 0.9,
            "timestamp": moment.isoformat(),
        },
        format="json",
    )


def floor_row(client, floor) -> dict:
    return client.get(f"/api/v1/floors/{floor.pk}").json()


def test_three_entries_on_a_two_slot_floor_show_it_full_with_one_over(api_as, two_slot_floor):
    vision = api_as(*EVENTS, "parking.view_floor")
    for track in ("a", "b", "c"):
        post_event(vision, two_slot_floor, track)

    row = floor_row(vision, two_slot_floor)

    assert (row["current_vehicles"], row["available_slots"], row["overflow"], row["is_full"]) == (
        2,
        0,
        1,
        True,
    )
    assert row["occupancy_percentage"] == 100.0
    last = OccupancyChange.objects.filter(floor=two_slot_floor).latest("id")
    assert (last.count_after, last.over_capacity) == (3, 1)


def test_an_exit_from_an_overflowing_floor_clears_the_overflow_first(api_as, two_slot_floor):
    vision = api_as(*EVENTS, "parking.view_floor")
    for track in ("a", "b", "c"):
        post_event(vision, two_slot_floor, track)
    post_event(vision, two_slot_floor, "a", "exit", minutes=5)

    row = floor_row(vision, two_slot_floor)

    assert (row["current_vehicles"], row["available_slots"], row["overflow"]) == (2, 0, 0)


def test_a_floor_summing_its_zones_is_capped_at_its_slots_too(api_as, row_a, ground_floor):
    ground_floor.total_slots = 3
    ground_floor.save()
    enter("parking-row-A", 5)

    row = floor_row(api_as("parking.view_floor"), ground_floor)

    assert (row["current_vehicles"], row["available_slots"], row["overflow"]) == (3, 0, 2)


def test_a_full_overflowing_floor_is_never_recommended(api_as, two_slot_floor):
    vision = api_as(*EVENTS, "parking.view_floor")
    for track in ("a", "b", "c"):
        post_event(vision, two_slot_floor, track)

    assert vision.get("/api/v1/floors/recommended").status_code == 404


def test_an_uncounted_vision_event_says_why(api_as, zone_floor):
    response = post_event(api_as(*EVENTS), zone_floor, "a")

    assert response.status_code == 201
    assert (response.json()["counted"], response.json()["uncounted_reason"]) == (False, "floor_counts_zones")


def test_setting_the_capacity_of_an_unknown_zone_on_a_camera_creates_it(api_as, indoor_camera):
    client = api_as("parking.change_zone", "parking.add_zone")

    response = client.put(
        "/api/v1/occupancy/parking-row-Z/capacity", {"max_capacity": 12, "camera_id": "CAM-03"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "created"
    zone = Zone.objects.get(code="parking-row-Z")
    assert (zone.camera, zone.capacity, zone.configured, zone.current_count) == (indoor_camera, 12, True, 0)


def test_a_numeric_region_on_a_camera_is_a_code_not_an_id(api_as, indoor_camera, row_a):
    client = api_as("parking.change_zone", "parking.add_zone")

    response = client.put(
        "/api/v1/occupancy/7/capacity", {"max_capacity": 3, "camera_id": "CAM-03"}, format="json"
    )

    assert response.status_code == 201
    assert Zone.objects.get(camera=indoor_camera, code="7").capacity == 3


def test_the_created_zone_counts_the_camera_events_for_its_region(api_as, indoor_camera):
    api_as("parking.change_zone", "parking.add_zone").put(
        "/api/v1/occupancy/parking-row-Z/capacity", {"max_capacity": 2, "camera_id": "CAM-03"}, format="json"
    )
    enter("parking-row-Z", 2)

    zone = Zone.objects.get(code="parking-row-Z")
    assert (zone.current_count, zone.is_full) == (2, True)


def test_an_unknown_zone_without_a_camera_says_what_is_missing(api_as, indoor_camera):
    response = api_as("parking.change_zone", "parking.add_zone").put(
        "/api/v1/occupancy/parking-row-Z/capacity", {"max_capacity": 12}, format="json"
    )

    assert response.status_code == 400
    assert "camera_id" in response.json()
    assert not Zone.objects.filter(code="parking-row-Z").exists()


def test_creating_a_zone_needs_the_add_permission(api_as, indoor_camera):
    response = api_as("parking.change_zone").put(
        "/api/v1/occupancy/parking-row-Z/capacity", {"max_capacity": 12, "camera_id": "CAM-03"}, format="json"
    )

    assert response.status_code == 403
    assert not Zone.objects.filter(code="parking-row-Z").exists()


def test_an_existing_zone_named_with_its_camera_is_updated(api_as, row_a):
    response = api_as("parking.change_zone").put(
        "/api/v1/occupancy/parking-row-A/capacity", {"max_capacity": 6, "camera_id": "CAM-03"}, format="json"
    )

    assert response.status_code == 200 and response.json()["status"] == "updated"
    row_a.refresh_from_db()
    assert row_a.capacity == 6
