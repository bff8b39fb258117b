from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from anpr.figures import daily, gate_counts
from anpr.models import GatePassage, Match, Visit
from anpr.services import close_stale_visits, vehicles_inside
from cameras.choices import EventType
from cameras.models import Camera

from .conftest import MORNING

pytestmark = pytest.mark.django_db


def test_entry_then_exit_makes_one_closed_visit_with_its_duration(
    entry_camera, exit_camera, read_plate, employee_vehicle
):
    read_plate(entry_camera, "ABJ-1234", MORNING)
    read_plate(exit_camera, "أ ب ح ١٢٣٤", MORNING + timedelta(hours=2, minutes=30))

    visit = Visit.objects.get()
    assert visit.status == Visit.Status.CLOSED
    assert visit.duration_seconds == 9000
    assert visit.vehicle == employee_vehicle and visit.category == "employee"
    assert visit.exit_match == Match.EXACT
    assert visit.entry.gate == "entry" and visit.exit.gate == "exit"


def test_repeated_reads_at_the_same_gate_within_the_window_are_one_passage(
    entry_camera, read_plate, settings
):
    settings.ANPR_PASSAGE_WINDOW_SECONDS = 60
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "ABJ 1234", MORNING + timedelta(seconds=20))
    read_plate(entry_camera, "A8J1234", MORNING + timedelta(seconds=50))  # a misread repeat

    passage = GatePassage.objects.get()
    assert passage.reads == 3
    assert passage.last_read_at == MORNING + timedelta(seconds=50)
    assert Visit.objects.count() == 1


def test_a_read_after_the_window_is_a_new_passage(entry_camera, read_plate, settings):
    settings.ANPR_PASSAGE_WINDOW_SECONDS = 60
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "ABJ1234", MORNING + timedelta(seconds=61))
    assert GatePassage.objects.count() == 2


def test_exit_with_one_misread_character_closes_the_visit_as_probable(entry_camera, exit_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(exit_camera, "A8J1234", MORNING + timedelta(hours=1))

    visit = Visit.objects.get()
    assert visit.status == Visit.Status.CLOSED
    assert visit.exit_match == Match.PROBABLE
    assert visit.duration_seconds == 3600


def test_exit_closes_the_latest_open_visit_of_the_plate(entry_camera, exit_camera, read_plate):
    read_plate(entry_camera, "KSA100", MORNING)
    read_plate(entry_camera, "DEF200", MORNING + timedelta(minutes=5))
    read_plate(exit_camera, "KSA100", MORNING + timedelta(minutes=40))

    assert Visit.objects.get(plate="KSA100").status == Visit.Status.CLOSED
    assert Visit.objects.get(plate="DEF200").status == Visit.Status.OPEN
    assert vehicles_inside(None) == 1
    assert vehicles_inside(object()) is None


def test_exit_without_entry_is_kept_as_an_orphan_exit(exit_camera, read_plate):
    read_plate(exit_camera, "ABJ1234", MORNING)

    orphan = Visit.objects.get()
    assert orphan.status == Visit.Status.ORPHAN_EXIT
    assert orphan.entered_at is None and orphan.duration_seconds is None
    assert orphan.exit.plate == "ABJ1234"
    assert gate_counts(orphan.exit_date) == {"entries": 0, "exits": 1}


def test_re_entry_while_open_closes_the_old_visit_as_stale(entry_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "ABJ1234", MORNING + timedelta(hours=3))

    old, new = Visit.objects.order_by("entered_at")
    assert old.status == Visit.Status.STALE and old.duration_seconds is None
    assert new.status == Visit.Status.OPEN


def test_visit_open_past_the_maximum_stay_is_closed_as_stale_without_duration(
    entry_camera, read_plate, settings
):
    settings.ANPR_MAX_STAY_HOURS = 24
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "DEF200", MORNING + timedelta(hours=20))

    assert close_stale_visits(now=MORNING + timedelta(hours=25)) == 1

    assert Visit.objects.get(plate="ABJ1234").status == Visit.Status.STALE
    assert Visit.objects.get(plate="DEF200").status == Visit.Status.OPEN
    assert daily(MORNING.date())["visits"] == 0


def test_unread_plate_is_kept_as_a_passage_without_visit(entry_camera, read_plate):
    passage = read_plate(entry_camera, "", MORNING)
    read_plate(entry_camera, "", MORNING + timedelta(seconds=5))

    assert GatePassage.objects.unread().count() == 2  # never merged: they may be two cars
    assert passage.is_unread
    assert not Visit.objects.exists()
    assert gate_counts(passage.local_date)["entries"] == 2


def test_gate_falls_back_to_the_event_direction_when_the_camera_is_no_gate(read_plate, db):
    camera = Camera.objects.create(code="LPR-1", ip_address="10.0.0.9", role=Camera.Role.PERIMETER)
    entry = read_plate(camera, "ABJ1234", MORNING, direction="in")
    exit_ = read_plate(
        camera,
        "ABJ1234",
        MORNING + timedelta(hours=1),
        direction="out",
        event_type=EventType.ACCESS_CONTROLLER,
    )

    assert (entry.gate, exit_.gate) == ("entry", "exit")
    assert Visit.objects.get().duration_seconds == 3600


def test_a_plate_read_at_a_camera_that_is_no_gate_makes_no_passage(read_plate, db):
    camera = Camera.objects.create(code="CAM-02", ip_address="10.0.0.2", role=Camera.Role.INDOOR)
    assert read_plate(camera, "ABJ1234", MORNING) is None
    assert not GatePassage.objects.exists()


def test_days_are_riyadh_days_not_utc_days(entry_camera, exit_camera, read_plate):
    # 22:30 UTC on the 20th is 01:30 on the 21st in Riyadh.
    late = datetime(2026, 2, 20, 22, 30, tzinfo=UTC)
    read_plate(entry_camera, "ABJ1234", late - timedelta(hours=2))  # 23:30 Riyadh, the 20th
    read_plate(exit_camera, "ABJ1234", late)

    visit = Visit.objects.get()
    assert str(visit.entry_date) == "2026-02-20" and str(visit.exit_date) == "2026-02-21"
    the_21st = daily(visit.exit_date)
    assert (the_21st["entries"], the_21st["exits"], the_21st["visits"]) == (0, 1, 1)
    assert the_21st["avg_parking_minutes"] == 120.0
    assert daily(visit.entry_date)["entries"] == 1


def test_staff_pair_an_orphan_exit_with_a_stale_visit(entry_camera, exit_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    close_stale_visits(now=MORNING + timedelta(days=2))
    read_plate(exit_camera, "XBJ1Z34", MORNING + timedelta(hours=5))  # two characters off

    stale = Visit.objects.get(status=Visit.Status.STALE)
    orphan = Visit.objects.get(status=Visit.Status.ORPHAN_EXIT)
    stale.pair_with(orphan, note="same car on the video")

    visit = Visit.objects.get()
    assert visit.status == Visit.Status.CLOSED and visit.duration_seconds == 5 * 3600
    assert visit.exit_match == Match.MANUAL and visit.close_note == "same car on the video"


def test_a_late_read_from_a_camera_backlog_is_not_merged_into_a_later_passage(
    entry_camera, read_plate, settings
):
    settings.ANPR_PASSAGE_WINDOW_SECONDS = 60
    read_plate(entry_camera, "ABJ1234", MORNING + timedelta(hours=1))
    read_plate(entry_camera, "ABJ1234", MORNING)  # delivered late, an hour earlier

    assert GatePassage.objects.count() == 2
    assert GatePassage.objects.get(occurred_at=MORNING + timedelta(hours=1)).reads == 1
    later = Visit.objects.get(entered_at=MORNING + timedelta(hours=1))
    assert later.status == Visit.Status.OPEN
    assert Visit.objects.get(entered_at=MORNING).status == Visit.Status.STALE
