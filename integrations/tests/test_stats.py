from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cameras.models import CameraEvent

T0 = datetime(2026, 3, 1, 5, 10, tzinfo=UTC)  # 08:10 in Riyadh


def event(camera, minutes: int, event_type: str = "ANPR", plate: str = "", confidence=None, **fields):
    return CameraEvent.objects.create(
        camera=camera,
        received_at=T0 + timedelta(minutes=minutes),
        trigger_time=T0 + timedelta(minutes=minutes),
        event_type=event_type,
        plate=plate,
        plate_confidence=confidence,
        **fields,
    )


@pytest.fixture
def morning(entry_camera, exit_camera, indoor_camera):
    event(entry_camera, 0, plate="ABC123", confidence=90)
    event(entry_camera, 20, plate="XYZ9", confidence=80)
    event(entry_camera, 55, plate="")  # nothing read
    event(exit_camera, 70, event_type="AccessControllerEvent", plate="ABC123", confidence=70)
    event(indoor_camera, 5, event_type="regionEntrance", region_id="1")
    event(indoor_camera, 6, event_type="regionExiting", region_id="1", status="failed")
    event(indoor_camera, 60 * 30, event_type="regionEntrance")  # outside the range


def test_counts_by_camera_type_hour_and_plate_figures(api, morning):
    response = api.get(
        "/api/v1/events/stats", {"since": "2026-03-01T08:00:00", "until": "2026-03-01T10:00:00"}
    )

    assert response.status_code == 200, response.content
    stats = response.json()
    assert stats["total_events"] == 6
    assert {row["camera"]: (row["count"], row["plate_reads"]) for row in stats["by_camera"]} == {
        "CAM-ENTRY": (3, 3),
        "CAM-EXIT": (1, 1),
        "CAM-02": (2, 0),
    }
    assert {row["event_type"]: row["count"] for row in stats["by_type"]} == {
        "ANPR": 3,
        "AccessControllerEvent": 1,
        "regionEntrance": 1,
        "regionExiting": 1,
    }
    assert stats["by_status"] == {"accepted": 5, "failed": 1}
    assert stats["by_hour"] == [
        {"hour": "2026-03-01T08:00:00+03:00", "count": 4, "plate_reads": 2},
        {"hour": "2026-03-01T09:00:00+03:00", "count": 2, "plate_reads": 2},
    ]
    assert stats["plate_reads"] == {
        "total": 4,
        "read": 3,
        "unread": 1,
        "read_rate": 0.75,
        "per_hour": 2.0,
        "average_confidence": 80.0,
    }


def test_filters_by_camera(api, morning):
    response = api.get(
        "/api/v1/events/stats", {"since": "2026-03-01", "until": "2026-03-02", "camera": "CAM-EXIT,CAM-02"}
    )

    stats = response.json()
    assert stats["total_events"] == 3  # the next day's region event is outside the range
    assert stats["plate_reads"]["total"] == 1


def test_empty_range(api, entry_camera):
    response = api.get("/api/v1/events/stats", {"since": "2020-01-01", "until": "2020-01-02"})

    assert response.status_code == 200
    assert response.json()["plate_reads"] == {
        "total": 0,
        "read": 0,
        "unread": 0,
        "read_rate": None,
        "per_hour": 0.0,
        "average_confidence": None,
    }


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "since"),
        ({"since": "2020-01-01", "until": "2026-01-01"}, "since"),
        ({"camera": "CAM-NOPE"}, "camera"),
    ],
)
def test_rejects_bad_ranges(api, entry_camera, params, field):
    response = api.get("/api/v1/events/stats", params)

    assert response.status_code == 400 and field in response.json()


def test_stats_is_not_mistaken_for_an_event_id(api, outsider_api, morning):
    assert api.get("/api/v1/events/stats").status_code == 200
    assert outsider_api.get("/api/v1/events/stats").status_code == 403
    first = CameraEvent.objects.order_by("pk").first()
    assert api.get(f"/api/v1/events/{first.pk}").json()["id"] == first.pk
