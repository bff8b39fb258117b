"""Snapshots every 5 minutes, the history API over them, scheduled resets, retention."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from damanat.celery import app
from parking import history, resets
from parking.models import OccupancyChange, OccupancySnapshot, VehicleEvent

from .conftest import enter

RIYADH = ZoneInfo("Asia/Riyadh")


def test_beat_runs_snapshots_every_five_minutes():
    entry = app.conf.beat_schedule["parking-snapshot"]

    assert entry["task"] == "parking.take_snapshot" and entry["schedule"] == 300
    assert "parking.take_snapshot" in app.tasks


def test_a_snapshot_records_each_zone_and_floor_once_per_slot(row_a, ground_floor):
    enter("parking-row-A", 3)
    at = datetime(2026, 3, 1, 10, 2, 30, tzinfo=UTC)

    history.take_snapshot(at)
    history.take_snapshot(at + timedelta(minutes=1))  # same slot: nothing new

    rows = OccupancySnapshot.objects.all()
    assert rows.count() == 2
    zone_row = rows.get(zone=row_a)
    assert (zone_row.count, zone_row.capacity, zone_row.taken_at) == (
        3,
        10,
        datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
    )
    assert rows.get(floor=ground_floor).count == 3


def test_history_api_returns_points_for_a_zone_a_floor_and_the_facility(api_as, row_a, ground_floor):
    start = timezone.now() - timedelta(hours=1)
    for step in range(4):
        enter("parking-row-A")
        history.take_snapshot(start + timedelta(minutes=5 * step))
    client = api_as("parking.view_occupancysnapshot")

    zone_points = client.get(f"/api/v1/occupancy/history?zone_id={row_a.pk}&hours=2").json()["points"]
    floor_points = client.get(f"/api/v1/occupancy/history?floor_id={ground_floor.pk}").json()["points"]
    facility = client.get("/api/v1/occupancy/history").json()["points"]

    assert [p["count"] for p in zone_points] == [1, 2, 3, 4]
    assert zone_points[-1]["occupancy_percent"] == 40.0
    assert [p["count"] for p in floor_points] == [1, 2, 3, 4]
    assert [p["count"] for p in facility] == [1, 2, 3, 4]


def test_history_needs_its_permission(api_as):
    assert api_as("parking.view_zone").get("/api/v1/occupancy/history").status_code == 403


@pytest.fixture
def nightly_reset_zone(row_a):
    row_a.reset_at = time(3, 0)
    row_a.save()
    return row_a


def test_a_scheduled_reset_happens_once_after_its_local_time(nightly_reset_zone):
    enter("parking-row-A", 4)
    before = datetime(2026, 3, 2, 2, 59, tzinfo=RIYADH)
    after = datetime(2026, 3, 2, 3, 1, tzinfo=RIYADH)

    assert resets.run_scheduled_resets(before) == []
    assert resets.run_scheduled_resets(after) == [nightly_reset_zone]
    assert resets.run_scheduled_resets(after + timedelta(minutes=5)) == []

    nightly_reset_zone.refresh_from_db()
    assert nightly_reset_zone.current_count == 0
    change = nightly_reset_zone.changes.latest("id")
    assert (change.cause, change.delta) == (OccupancyChange.Cause.SCHEDULED_RESET, -4)


def test_the_reset_runs_again_the_next_day(nightly_reset_zone):
    day_one = datetime(2026, 3, 2, 3, 1, tzinfo=RIYADH)
    resets.run_scheduled_resets(day_one)
    enter("parking-row-A", 2)

    assert resets.run_scheduled_resets(day_one + timedelta(days=1)) == [nightly_reset_zone]


def test_old_vision_events_and_snapshots_are_purged(row_a, ground_floor):
    now = timezone.now()
    VehicleEvent.objects.create(
        camera_id="c",
        floor=ground_floor,
        track_id="old",
        vehicle_type="car",
        direction="entry",
        confidence=0.9,
        timestamp=now - timedelta(days=100),
    )
    VehicleEvent.objects.create(
        camera_id="c",
        floor=ground_floor,
        track_id="new",
        vehicle_type="car",
        direction="entry",
        confidence=0.9,
        timestamp=now - timedelta(days=1),
    )
    history.take_snapshot(now - timedelta(days=500))

    from parking.tasks import purge_old_records

    assert purge_old_records() == 3

    assert list(VehicleEvent.objects.values_list("track_id", flat=True)) == ["new"]
