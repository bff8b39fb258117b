"""The misread inbox: queued by processing and by the sweep, ranked, resolved, learned from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from anpr import misreads
from anpr.figures import daily
from anpr.models import GatePassage, Match, MisreadReview, PlateConfusion, Vehicle, Visit
from anpr.services import close_stale_visits
from cameras import processing, simulator
from cameras.ingest import Push, process_event, receive_push
from cameras.models import Camera, CameraEvent

from .conftest import MORNING

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def guard(db) -> User:
    return User.objects.create(username="guard-1")


@pytest.fixture
def read_vehicle(db):
    """A plate read with the vehicle's colour, type and make, processed as the pipeline does."""

    def read(
        camera: Camera,
        plate: str,
        at,
        colour: str = "",
        kind: str = "",
        brand: str = "",
        confidence: float | None = None,
    ) -> GatePassage:
        event = CameraEvent.objects.create(
            camera=camera,
            event_type="ANPR",
            plate=plate,
            original_plate=plate,
            trigger_time=at,
            received_at=at,
            vehicle_color=colour,
            vehicle_type=kind,
            plate_confidence=confidence,
            extra={"vehicle_brand": brand} if brand else {},
        )
        process_event(event)
        return GatePassage.objects.get(event=event)

    return read


def review_of(passage: GatePassage) -> MisreadReview:
    return MisreadReview.objects.get(passage=passage)


def ranked_plates(review: MisreadReview) -> list[str]:
    return [c.passage.plate for c in misreads.candidates_for([review])[review.pk]]


def test_an_exit_without_entry_pushed_by_the_camera_is_queued_when_processed(
    entry_camera, exit_camera, settings
):
    settings.EVENT_PROCESSING = "queued"
    for camera, plate, at in [
        (entry_camera, "ABJ1234", MORNING),
        (exit_camera, "ABJ1234", MORNING + timedelta(hours=1)),
        (exit_camera, "X8J1Z34", MORNING + timedelta(hours=2)),
    ]:
        body = simulator.anpr_xml(plate, at)
        receive_push(Push(body=body, content_type="application/xml", source_ip=camera.ip_address))
    assert not MisreadReview.objects.exists()  # stored, not processed yet

    assert processing.drain() == 3

    review = MisreadReview.objects.get()
    assert (review.kind, review.status, review.passage.plate) == ("exit", "open", "X8J1Z34")
    assert review.passage.visit_exited.status == Visit.Status.ORPHAN_EXIT
    assert list(misreads.inbox()) == [review]


def test_a_batch_of_exits_without_entry_is_queued_with_one_insert(exit_camera, settings):
    settings.EVENT_PROCESSING = "queued"
    for n in range(20):
        body = simulator.anpr_xml(f"KSA{100 + n}", MORNING + timedelta(minutes=n))
        receive_push(Push(body=body, content_type="application/xml", source_ip=exit_camera.ip_address))

    with CaptureQueriesContext(connection) as queries:
        assert processing.drain() == 20

    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "anpr_misreadreview"')]
    assert len(inserts) == 1
    assert MisreadReview.objects.filter(kind="exit", status="open").count() == 20


def test_the_sweep_queues_entries_left_open_too_long_or_closed_stale(entry_camera, read_plate, settings):
    settings.ANPR_MISREAD_OPEN_HOURS = 12
    read_plate(entry_camera, "ABJ1234", MORNING)  # never seen leaving
    read_plate(entry_camera, "KSA100", MORNING + timedelta(hours=1))
    read_plate(entry_camera, "KSA100", MORNING + timedelta(hours=3))  # re-entry: the first is stale
    read_plate(entry_camera, "DEF200", MORNING + timedelta(hours=10))  # inside for three hours

    assert misreads.sweep(now=MORNING + timedelta(hours=13)) == 2
    assert misreads.sweep(now=MORNING + timedelta(hours=13, minutes=15)) == 0

    queued = {(r.kind, r.passage.plate, r.passage.occurred_at) for r in MisreadReview.objects.all()}
    assert queued == {("entry", "ABJ1234", MORNING), ("entry", "KSA100", MORNING + timedelta(hours=1))}


def test_the_sweep_closes_an_item_a_later_read_matched(entry_camera, exit_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    misreads.sweep(now=MORNING + timedelta(hours=13))
    read_plate(exit_camera, "ABJ1234", MORNING + timedelta(hours=14))  # it was only a long stay
    assert list(misreads.inbox()) == []

    misreads.sweep(now=MORNING + timedelta(hours=14, minutes=15))

    review = MisreadReview.objects.get()
    assert review.status == MisreadReview.Status.RESOLVED and review.resolved_by is None


def test_candidates_rank_by_confusable_characters_then_time_and_attributes(
    entry_camera, exit_camera, read_vehicle
):
    exit_at = MORNING + timedelta(hours=6)
    read_vehicle(entry_camera, "ABJ1234", MORNING, colour="white", kind="sedan")  # 8/B and Z/2
    read_vehicle(entry_camera, "AKJ1734", MORNING + timedelta(hours=5), colour="white", kind="sedan")
    read_vehicle(entry_camera, "ANJ1234", MORNING + timedelta(hours=1), colour="red", kind="sedan")
    read_vehicle(entry_camera, "ASJ1D34", MORNING + timedelta(hours=2), colour="white", kind="sedan")
    read_vehicle(entry_camera, "KSA9999", MORNING + timedelta(hours=4), colour="white", kind="sedan")
    read_vehicle(entry_camera, "ABJ1234", exit_at - timedelta(hours=30))  # outside the window
    orphan = read_vehicle(exit_camera, "A8J1Z34", exit_at, colour="white", kind="sedan")

    review = review_of(orphan)
    top = misreads.candidates_for([review])[review.pk]

    # ANJ1234 is nearer by plate (1.75) than the next two (2.0), but it is red.
    assert [c.passage.plate for c in top] == ["ABJ1234", "AKJ1734", "ASJ1D34"]
    assert [c.distance for c in top] == [1.5, 2.0, 2.0]  # likely confusions cost 0.75, others 1
    assert top[0].passage.occurred_at == MORNING and top[0].minutes_apart == 6 * 60


def test_same_plate_distance_ranks_the_nearer_time_and_the_same_colour_first(
    entry_camera, exit_camera, read_vehicle
):
    exit_at = MORNING + timedelta(hours=8)
    read_vehicle(entry_camera, "ABJ1234", MORNING, colour="white", kind="suv", brand="1060")
    read_vehicle(entry_camera, "ABJ1294", MORNING + timedelta(hours=7), colour="black", kind="suv")
    read_vehicle(
        entry_camera, "ABJ1264", MORNING + timedelta(hours=6), colour="white", kind="suv", brand="1060"
    )
    orphan = read_vehicle(exit_camera, "ABJ1274", exit_at, colour="white", kind="suv", brand="1060")

    assert ranked_plates(review_of(orphan)) == ["ABJ1264", "ABJ1234", "ABJ1294"]


def test_resolving_pairs_one_visit_with_the_parking_time_and_learns_the_confusion(
    entry_camera, exit_camera, read_plate, guard
):
    Vehicle.objects.create(plate="ABJ1234", owner_name="Ahmed")
    entry = read_plate(entry_camera, "ABJ1234", MORNING)
    orphan = read_plate(exit_camera, "A8J1Z34", MORNING + timedelta(hours=2, minutes=30))
    review = review_of(orphan)

    visit = misreads.resolve(review, entry, by=guard)

    assert Visit.objects.get() == visit
    assert visit.status == Visit.Status.CLOSED and visit.duration_seconds == 9000
    assert visit.exit_match == Match.MANUAL and visit.exit == orphan
    assert daily(visit.exit_date)["visits"] == 1 and daily(visit.exit_date)["avg_parking_minutes"] == 150
    review.refresh_from_db()
    assert (review.status, review.match, review.resolved_by) == ("resolved", entry, guard)
    # The entry read the registered plate: the exit camera is the one that misread it.
    misread = PlateConfusion.objects.exclude(read=F("true"))
    assert {(c.camera.code, c.read, c.true): c.count for c in misread} == {
        ("CAM-EXIT", "8", "B"): 1,
        ("CAM-EXIT", "Z", "2"): 1,
    }


def test_a_resolution_changes_the_ranking_of_later_misreads_on_that_camera(
    entry_camera, exit_camera, read_plate, guard
):
    """CAM-EXIT reads H where the plate says N, a mistake no prior knows of."""
    for hour, plate in [(0, "ANJ5555"), (2, "NAS7777")]:
        Vehicle.objects.create(plate=plate)
        entry = read_plate(entry_camera, plate, MORNING + timedelta(hours=hour))
        misread = read_plate(exit_camera, plate.replace("N", "H"), MORNING + timedelta(hours=hour + 1))
        misreads.resolve(review_of(misread), entry, by=guard)

    later = MORNING + timedelta(days=1)
    other_exit = Camera.objects.create(
        code="CAM-EXIT-2", ip_address="192.168.1.106", role=Camera.Role.EXIT_GATE
    )
    read_plate(entry_camera, "ANJ1234", later)
    read_plate(entry_camera, "AKJ1234", later + timedelta(hours=3))  # nearer in time
    on_learned = review_of(read_plate(exit_camera, "AHJ1234", later + timedelta(hours=4)))
    on_other = review_of(read_plate(other_exit, "AHJ1234", later + timedelta(hours=4, minutes=5)))

    assert ranked_plates(on_learned) == ["ANJ1234", "AKJ1234"]
    assert ranked_plates(on_other) == ["AKJ1234", "ANJ1234"]  # that camera learned nothing


def test_resolving_an_entry_item_also_settles_the_exit_item(entry_camera, exit_camera, read_plate, guard):
    entry = read_plate(entry_camera, "ABJ1234", MORNING)
    close_stale_visits(now=MORNING + timedelta(days=2))
    orphan = read_plate(exit_camera, "XBJ1Z34", MORNING + timedelta(hours=5))
    misreads.sweep(now=MORNING + timedelta(days=2))
    entry_item = review_of(entry)
    assert ranked_plates(entry_item) == ["XBJ1Z34"]

    visit = misreads.resolve(entry_item, orphan, by=guard)

    assert visit.duration_seconds == 5 * 3600
    assert set(MisreadReview.objects.values_list("status", flat=True)) == {"resolved"}
    assert review_of(orphan).match == entry
    assert list(misreads.inbox()) == []


def test_an_item_resolves_once_and_only_with_a_read_at_the_other_gate(
    entry_camera, exit_camera, read_plate, guard
):
    entry = read_plate(entry_camera, "ABJ1234", MORNING)
    other_exit = read_plate(exit_camera, "KSA100", MORNING + timedelta(hours=1))
    review = review_of(read_plate(exit_camera, "A8J1Z34", MORNING + timedelta(hours=2)))

    with pytest.raises(misreads.CannotResolve):
        misreads.resolve(review, other_exit, by=guard)
    misreads.resolve(review, entry, by=guard)
    with pytest.raises(misreads.CannotResolve):
        misreads.resolve(review, entry, by=guard)
    assert Visit.objects.filter(status=Visit.Status.CLOSED).count() == 1


def test_dismissing_closes_the_item_and_leaves_the_visits_alone(exit_camera, read_plate, guard):
    orphan = read_plate(exit_camera, "A8J1Z34", MORNING)
    review = review_of(orphan)

    assert misreads.dismiss(review, by=guard) is True
    assert misreads.dismiss(review, by=guard) is False

    review.refresh_from_db()
    assert (review.status, review.resolved_by) == ("dismissed", guard)
    assert Visit.objects.get().status == Visit.Status.ORPHAN_EXIT
    assert list(misreads.inbox()) == []
    misreads.sweep(now=MORNING + timedelta(hours=1))
    assert MisreadReview.objects.count() == 1  # not queued again


def test_without_a_registered_plate_the_more_confident_read_is_taken_as_true(
    entry_camera, exit_camera, read_vehicle, guard
):
    entry = read_vehicle(entry_camera, "ABJ1234", MORNING, confidence=70)
    orphan = read_vehicle(exit_camera, "A8J1Z34", MORNING + timedelta(hours=1), confidence=95)

    misreads.resolve(review_of(orphan), entry, by=guard)

    misread = PlateConfusion.objects.exclude(read=F("true"))
    assert {(c.camera.code, c.read, c.true) for c in misread} == {
        ("CAM-ENTRY", "B", "8"),
        ("CAM-ENTRY", "2", "Z"),
    }
    assert PlateConfusion.objects.get(camera=exit_camera, read="J", true="J").count == 1
