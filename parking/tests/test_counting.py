"""Region events move zone counts; every change is in the ledger."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from parking.models import OccupancyChange, Zone

from .conftest import enter, leave, push_region


def ledger(zone: Zone) -> list[tuple]:
    return list(zone.changes.order_by("id").values_list("cause", "requested", "delta", "count_after"))


def test_entrances_and_exits_move_the_count_and_each_is_a_ledger_row(row_a):
    enter("parking-row-A", 3)
    leave("parking-row-A")
    enter("parking-row-A")

    row_a.refresh_from_db()
    assert row_a.current_count == 3
    assert [row[3] for row in ledger(row_a)] == [1, 2, 3, 2, 3]
    assert all(change.camera_event.region_id == "parking-row-A" for change in row_a.changes.all())


def test_exit_from_an_empty_zone_stays_at_zero_and_the_clamp_is_recorded(row_a):
    enter("parking-row-A")
    leave("parking-row-A", 2)

    row_a.refresh_from_db()
    assert row_a.current_count == 0
    assert ledger(row_a)[-1] == (OccupancyChange.Cause.CAMERA_EVENT, -1, 0, 0)
    assert row_a.changes.order_by("id").last().clamped


def test_overflow_past_capacity_is_counted_and_recorded(row_a):
    enter("parking-row-A", 12)

    row_a.refresh_from_db()
    assert row_a.current_count == 12
    assert row_a.overflow == 2 and row_a.is_full
    last = row_a.changes.order_by("id").last()
    assert (last.count_after, last.capacity, last.over_capacity) == (12, 10, 2)


def test_unknown_region_creates_an_unconfigured_zone_without_a_capacity(indoor_camera):
    enter("3", 2)

    zone = Zone.objects.get(camera=indoor_camera, code="3")
    assert not zone.configured
    assert zone.capacity is None and zone.floor is None
    assert zone.current_count == 2
    assert zone.occupancy_percent is None and not zone.is_full


def test_numeric_and_named_regions_of_the_same_camera_are_different_zones(row_a):
    enter("parking-row-A")
    enter("1")

    row_a.refresh_from_db()
    assert row_a.current_count == 1
    assert Zone.objects.get(code="1").current_count == 1


def test_a_person_walking_through_a_vehicle_zone_does_not_count(row_a):
    enter("parking-row-A", target="human")

    row_a.refresh_from_db()
    assert row_a.current_count == 0
    assert not row_a.changes.exists()


def test_an_inactive_zone_is_not_counted(row_a):
    row_a.is_active = False
    row_a.save()

    enter("parking-row-A")

    row_a.refresh_from_db()
    assert row_a.current_count == 0


def test_an_event_from_a_disabled_camera_changes_nothing(row_a, indoor_camera):
    indoor_camera.enabled = False
    indoor_camera.save()

    result = push_region("regionEntrance", "parking-row-A")

    row_a.refresh_from_db()
    assert result.status == "ignored"
    assert row_a.current_count == 0


def test_an_event_handled_twice_moves_the_count_once(row_a):
    from cameras.models import CameraEvent
    from parking.occupancy import count_region_events

    enter("parking-row-A")
    event = CameraEvent.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        count_region_events([event])

    row_a.refresh_from_db()
    assert row_a.current_count == 1
    assert row_a.changes.count() == 1


def test_two_cars_entering_in_the_same_second_are_both_counted(row_a):
    """Without a UUID, two pushes that differ only in activePostCount are two cars."""
    from cameras.ingest import Push, receive_push
    from cameras.tests.conftest import payload

    body = payload("hikvision_ver20_region_entrance.xml")
    for sent in (body, body.replace(b"<activePostCount>1<", b"<activePostCount>2<"), body):
        receive_push(Push(body=sent, content_type="application/xml", source_ip="192.168.1.103"))

    row_a.refresh_from_db()
    assert row_a.current_count == 2  # the third push is the first one re-sent
