"""Seed 004's vision-service events: idempotent, validated, counted on their floor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parking.models import Floor, OccupancyChange, VehicleEvent

ADD = "parking.add_vehicleevent"


@pytest.fixture
def event_floor(db) -> Floor:
    return Floor.objects.create(
        name="Second Floor", level=2, total_slots=2, count_source=Floor.CountSource.EVENTS
    )


@pytest.fixture
def vision(api_as):
    return api_as(ADD, "parking.view_vehicleevent", username="vision-service")


def sighting(floor, **changes) -> dict:
    return {
        "camera_id": "cam_001",
        "floor_id": floor.pk,
        "track_id": "track_a1b2c3",
        "vehicle_type": "car",
        "direction": "entry",
        "confidence": 0.92,
        "timestamp": "2026-02-12T10:30:45+03:00",
        **changes,
    }


def test_a_sighting_is_stored_and_counted_on_its_floor(vision, event_floor):
    response = vision.post("/api/v1/parking/events", sighting(event_floor), format="json")

    assert response.status_code == 201
    assert response.json()["counted"] is True
    event_floor.refresh_from_db()
    assert event_floor.current_vehicles == 1
    change = OccupancyChange.objects.get(floor=event_floor)
    assert (change.cause, change.delta, change.vehicle_event_id) == ("vision_event", 1, response.json()["id"])


def test_a_repeat_returns_the_stored_event_and_counts_nothing(vision, event_floor):
    first = vision.post("/api/v1/parking/events", sighting(event_floor), format="json")
    repeat = vision.post("/api/v1/parking/events", sighting(event_floor, confidence=0.5), format="json")

    assert repeat.status_code == 200
    assert repeat.json() == first.json()
    event_floor.refresh_from_db()
    assert event_floor.current_vehicles == 1
    assert VehicleEvent.objects.count() == 1


def test_the_same_track_leaving_is_a_new_event(vision, event_floor):
    vision.post("/api/v1/parking/events", sighting(event_floor), format="json")
    leaving = vision.post("/api/v1/parking/events", sighting(event_floor, direction="exit"), format="json")

    assert leaving.status_code == 201
    event_floor.refresh_from_db()
    assert event_floor.current_vehicles == 0


def test_floor_overflow_is_recorded_not_refused(vision, event_floor):
    for track in range(3):
        assert (
            vision.post(
                "/api/v1/parking/events", sighting(event_floor, track_id=f"t{track}"), format="json"
            ).status_code
            == 201
        )

    event_floor.refresh_from_db()
    assert event_floor.current_vehicles == 3
    assert OccupancyChange.objects.filter(floor=event_floor).latest("id").over_capacity == 1


def test_an_exit_from_an_empty_floor_is_clamped(vision, event_floor):
    vision.post("/api/v1/parking/events", sighting(event_floor, direction="exit"), format="json")

    event_floor.refresh_from_db()
    change = OccupancyChange.objects.get(floor=event_floor)
    assert event_floor.current_vehicles == 0
    assert (change.requested, change.delta, change.count_after) == (-1, 0, 0)


@pytest.mark.parametrize(
    "field, value",
    [
        ("confidence", 1.2),
        ("confidence", -0.1),
        ("vehicle_type", "bicycle"),
        ("direction", "sideways"),
        ("floor_id", 99999),
        ("track_id", ""),
    ],
)
def test_invalid_sightings_are_refused(vision, event_floor, field, value):
    response = vision.post("/api/v1/parking/events", sighting(event_floor, **{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not VehicleEvent.objects.exists()


def test_posting_needs_the_add_permission(api_as, event_floor):
    response = api_as("parking.view_vehicleevent").post(
        "/api/v1/parking/events", sighting(event_floor), format="json"
    )

    assert response.status_code == 403


def test_statistics_for_the_last_hours(vision, event_floor):
    now = timezone.now()
    other = Floor.objects.create(name="Roof", total_slots=20, count_source=Floor.CountSource.EVENTS)
    rows = [
        ("t1", "car", "entry", event_floor, 1),
        ("t2", "bus", "entry", event_floor, 2),
        ("t1", "car", "exit", event_floor, 3),
        ("t3", "truck", "entry", other, 5),
        ("t4", "car", "entry", other, 30),
    ]
    for track, kind, direction, floor, hours_ago in rows:
        vision.post(
            "/api/v1/parking/events",
            sighting(
                floor,
                track_id=track,
                vehicle_type=kind,
                direction=direction,
                timestamp=(now - timedelta(hours=hours_ago)).isoformat(),
            ),
            format="json",
        )

    stats = vision.get("/api/v1/parking/events/statistics?hours=24").json()

    assert (stats["total_events"], stats["entries"], stats["exits"]) == (4, 3, 1)
    assert stats["by_vehicle_type"] == {"car": 2, "motorcycle": 0, "bus": 1, "truck": 1}
    assert stats["by_floor"] == {"Second Floor": 3, "Roof": 1}
    assert vision.get("/api/v1/parking/events/statistics?hours=0").status_code == 400


def test_events_can_be_listed_by_floor(vision, event_floor):
    vision.post("/api/v1/parking/events", sighting(event_floor), format="json")

    listed = vision.get(f"/api/v1/parking/events?floor_id={event_floor.pk}").json()

    assert [event["track_id"] for event in listed["results"]] == ["track_a1b2c3"]
