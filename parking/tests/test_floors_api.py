"""/api/v1/floors: figures from zones or own events, ordered by free slots, recommended floor."""

from __future__ import annotations

import pytest

from parking.models import Floor, Zone

from .conftest import enter

VIEW = "parking.view_floor"


@pytest.fixture
def event_floor(db) -> Floor:
    return Floor.objects.create(
        name="Second Floor", level=2, total_slots=40, count_source=Floor.CountSource.EVENTS
    )


def post_sighting(client, floor, track, direction="entry", **extra):
    return client.post(
        "/api/v1/parking/events",
        {
            "camera_id": "cam_001",
            "floor_id": floor.pk,
            "track_id": track,
            "vehicle_type": "car",
            "direction": direction,
            "confidence": 0.92,
            "timestamp": "2026-02-12T10:30:45Z",
            **extra,
        },
        format="json",
    )


def test_floors_are_ordered_by_available_slots_with_figures_from_their_source(
    api_as, row_a, ground_floor, event_floor
):
    enter("parking-row-A", 6)  # ground floor: 50 slots, 6 from its zone
    sender = api_as("parking.add_vehicleevent", username="vision")
    for track in range(20):
        post_sighting(sender, event_floor, f"t{track}")  # second floor: 40 slots, 20 inside

    floors = api_as(VIEW).get("/api/v1/floors").json()

    assert [(f["name"], f["current_vehicles"], f["available_slots"]) for f in floors] == [
        ("Ground Floor", 6, 44),
        ("Second Floor", 20, 20),
    ]
    assert floors[1]["occupancy_percentage"] == 50.0


def test_a_floor_counting_zones_ignores_vision_events_and_sums_only_parking_zones(
    api_as, row_a, ground_floor, indoor_camera
):
    Zone.objects.create(
        camera=indoor_camera, code="loading-bay", floor=ground_floor, kind=Zone.Kind.LOADING_BAY
    )
    enter("parking-row-A", 2)
    enter("loading-bay", 3)
    reply = post_sighting(api_as("parking.add_vehicleevent"), ground_floor, "t1")

    floor = api_as(VIEW, username="viewer").get(f"/api/v1/floors/{ground_floor.pk}").json()

    assert reply.status_code == 201 and reply.json()["counted"] is False
    assert floor["current_vehicles"] == 2


def test_recommended_is_the_active_floor_with_most_free_slots(api_as, ground_floor, event_floor):
    Floor.objects.create(name="Roof", level=3, total_slots=80, is_active=False)
    ground_floor.total_slots = 30
    ground_floor.save()

    response = api_as(VIEW).get("/api/v1/floors/recommended")

    assert response.status_code == 200
    assert response.json()["name"] == "Second Floor"


def test_no_recommendation_when_every_floor_is_full(api_as, row_a, ground_floor):
    ground_floor.total_slots = 3
    ground_floor.save()
    enter("parking-row-A", 3)

    response = api_as(VIEW).get("/api/v1/floors/recommended")

    assert response.status_code == 404


def test_creating_a_floor_needs_the_add_permission(api_as):
    body = {"name": "Basement", "level": -1, "total_slots": 30}

    assert api_as(VIEW).post("/api/v1/floors", body, format="json").status_code == 403
    created = api_as(VIEW, "parking.add_floor", username="manager").post(
        "/api/v1/floors", body, format="json"
    )

    assert created.status_code == 201
    assert created.json()["available_slots"] == 30


def test_floor_names_are_unique(api_as, ground_floor):
    response = api_as("parking.add_floor").post(
        "/api/v1/floors", {"name": "Ground Floor", "total_slots": 5}, format="json"
    )

    assert response.status_code == 400


def test_inactive_floors_are_listed_only_when_asked(api_as, ground_floor):
    Floor.objects.create(name="Closed level", total_slots=10, is_active=False)
    client = api_as(VIEW)

    default = [floor["name"] for floor in client.get("/api/v1/floors").json()]
    inactive = [floor["name"] for floor in client.get("/api/v1/floors?is_active=false").json()]

    assert default == ["Ground Floor"]
    assert inactive == ["Closed level"]
