"""Rule backtest: a draft rule replayed over stored events, next to the current rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from alerts.backtest import shown
from alerts.models import Alert, BacktestRun, Delivery
from alerts.rules import apply_zone_rules
from cameras.models import Camera, CameraEvent
from parking.models import OccupancyChange, Zone

from .backtest_helpers import NOW, backtest, facility_noon, seconds_before_now, stored_events  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("facility_noon")]


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    def run(**fields) -> BacktestRun:
        with django_capture_on_commit_callbacks(execute=True):
            started = backtest(**fields)
        return BacktestRun.objects.get(pk=started.pk)

    return run


def test_a_longer_cooldown_merges_repeats_into_fewer_alerts(restricted_zone, run_now):
    stored_events(restricted_zone, seconds_before_now(0, 20, 100, 110, 400))

    run = run_now(rule="zone", zone=restricted_zone.pk, cooldown_seconds=120)

    assert run.status == BacktestRun.Status.DONE
    assert run.results["totals"]["current"] == 3  # 0, 100 and 400: 20 and 110 are repeats
    assert run.results["totals"]["draft"] == 2  # 100 is 80 s after 20: merged


def test_a_parking_zone_made_staff_only_would_raise_intrusions(zone_factory, run_now):
    row = zone_factory("row-A", Zone.Kind.PARKING, capacity=40)
    stored_events(row, seconds_before_now(0, 60, 120))

    run = run_now(rule="zone", zone=row.pk, kind=Zone.Kind.STAFF_ONLY)

    assert run.results["totals"] == {"draft": 3, "current": 0, "recorded": 0}
    assert {example["kind"] for example in run.results["examples"]} == {"intrusion"}
    assert run.results["examples"][0]["zone"] == "row-A"


def test_made_restricted_it_raises_violations_only_for_the_targets_that_count(zone_factory, run_now):
    row = zone_factory("row-B", Zone.Kind.PARKING)
    stored_events(row, seconds_before_now(0, 60), target="vehicle")
    stored_events(row, seconds_before_now(200), target="human")

    vehicles = run_now(rule="zone", zone=row.pk, kind=Zone.Kind.RESTRICTED)
    everyone = run_now(
        rule="zone", zone=row.pk, kind=Zone.Kind.RESTRICTED, counted_targets=["vehicle", "human"]
    )

    assert vehicles.results["totals"]["draft"] == 2
    assert everyone.results["totals"]["draft"] == 3
    assert {example["kind"] for example in everyone.results["examples"]} == {"violation"}


def test_counts_are_broken_down_per_facility_day_and_per_camera(restricted_zone, zone_factory, run_now):
    gate = Camera.objects.create(code="CAM-02", ip_address="192.168.1.102")
    other = Zone.objects.create(camera=gate, code="restricted-vip", kind=Zone.Kind.RESTRICTED)
    stored_events(restricted_zone, seconds_before_now(0, 100, days=3))
    stored_events(restricted_zone, seconds_before_now(0, days=1))
    stored_events(other, seconds_before_now(50, days=1))

    run = run_now(rule="zone", cooldown_seconds=300)

    by_day = {row["day"]: (row["draft"], row["current"]) for row in run.results["by_day"]}
    assert by_day == {"2026-11-17": (1, 2), "2026-11-19": (2, 2)}
    by_camera = {row["camera"]: (row["draft"], row["current"]) for row in run.results["by_camera"]}
    assert by_camera == {"CAM-01": (2, 3), "CAM-02": (1, 1)}


def test_the_alerts_really_raised_are_shown_next_to_the_replay(restricted_zone, run_now):
    stored_events(restricted_zone, seconds_before_now(0, 100))
    Alert.objects.create(
        kind=Alert.Kind.VIOLATION,
        zone=restricted_zone,
        camera=restricted_zone.camera,
        title="x",
        first_seen_at=NOW - timedelta(days=1),
        last_seen_at=NOW - timedelta(days=1),
    )

    run = run_now(rule="zone", zone=restricted_zone.pk, cooldown_seconds=600)

    assert run.results["totals"] == {"draft": 1, "current": 2, "recorded": 1}


def test_a_lower_threshold_raises_the_zone_full_alert_earlier(zone_factory, run_now):
    row = zone_factory("row-C", Zone.Kind.PARKING, capacity=4)
    stored_events(row, seconds_before_now(0, 10, 20), event_type="regionEntrance")

    lower = run_now(rule="capacity", zone=row.pk, threshold=50)
    smaller = run_now(rule="capacity", zone=row.pk, capacity=3)

    assert lower.results["totals"]["draft"] == 1
    assert lower.results["totals"]["current"] == 0  # 3 of 4 never reaches 90 %
    assert lower.results["examples"][0]["count"] == 2
    assert smaller.results["totals"]["draft"] == 1


def test_the_count_starts_where_the_ledger_had_it(zone_factory, run_now):
    row = zone_factory("row-D", Zone.Kind.PARKING, capacity=10)
    OccupancyChange.objects.create(
        zone=row, cause="correction", requested=8, delta=8, count_after=8, created_at=NOW - timedelta(days=40)
    )
    stored_events(row, seconds_before_now(0), event_type="regionEntrance")

    run = run_now(rule="capacity", zone=row.pk, capacity=12)

    assert run.results["totals"]["current"] == 1  # 9 of 10: from 0 it would have been 1 of 10
    assert run.results["totals"]["draft"] == 0  # 9 of 12


def test_progress_reaches_every_event(restricted_zone, run_now):
    stored_events(restricted_zone, seconds_before_now(*range(0, 300, 3)))
    stored_events(restricted_zone, [NOW - timedelta(days=31)])  # before the period

    run = run_now(rule="zone", zone=restricted_zone.pk, cooldown_seconds=0)

    assert (run.progress_done, run.progress_total, run.percent) == (100, 100, 100)
    assert run.results["replayed"] == 100
    assert run.finished_at is not None


def test_progress_is_recorded_after_every_chunk(restricted_zone, run_now, monkeypatch):
    stored_events(restricted_zone, seconds_before_now(*range(0, 300, 3)))
    monkeypatch.setattr("alerts.backtest.CHUNK_SIZE", 25)
    seen = []
    advance = BacktestRun.advance
    monkeypatch.setattr(
        BacktestRun,
        "advance",
        lambda run, count: (advance(run, count), seen.append(BacktestRun.objects.get(pk=run.pk).percent)),
    )

    run_now(rule="zone", zone=restricted_zone.pk, cooldown_seconds=0)

    assert seen == [25, 50, 75, 100]


def test_a_run_that_breaks_says_why(restricted_zone, django_capture_on_commit_callbacks):
    from alerts.backtest import run_backtest

    run = BacktestRun.objects.create(rule="zone", zone=restricted_zone, params={"changes": {"kind": "nope"}})
    stored_events(restricted_zone, seconds_before_now(0))
    restricted_zone.delete()  # the run's zone is gone: nothing to replay it against

    run_backtest(run.pk)

    run.refresh_from_db()
    assert run.status == BacktestRun.Status.FAILED and run.error and run.finished_at


def test_a_backtest_writes_no_alert_no_delivery_and_nothing_to_the_stream(
    restricted_zone, webhook_channel, run_now, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("integrations.bus.send_to_stream", lambda *messages: sent.extend(messages))
    events = stored_events(restricted_zone, seconds_before_now(0, 100, 200))

    run = run_now(rule="zone", zone=restricted_zone.pk, kind=Zone.Kind.EMERGENCY_EXIT)

    assert run.results["totals"]["draft"] == 3
    assert (Alert.objects.count(), Delivery.objects.count(), sent) == (0, 0, [])
    assert not Zone.objects.filter(configured=False).exists()
    # The same events through the real handler (the current rule) do all three, as many
    # as the replay of the current rule said: the checks above can see them.
    with django_capture_on_commit_callbacks(execute=True):
        apply_zone_rules(
            list(
                CameraEvent.objects.filter(pk__in=[e.pk for e in events])
                .select_related("camera")
                .order_by("id")
            )
        )
    assert Alert.objects.count() == run.results["totals"]["current"] == 3
    assert Delivery.objects.count() == 3 and sent


def test_a_draft_that_changes_nothing_is_refused(restricted_zone):
    from alerts.backtest_forms import BacktestForm

    form = BacktestForm(data={"rule": "zone", "zone": restricted_zone.pk})

    with translation.override("en"):
        assert not form.is_valid()
        assert "Change at least one setting" in str(form.errors)


def test_the_capacity_rule_needs_a_zone():
    from alerts.backtest_forms import BacktestForm

    form = BacktestForm(data={"rule": "capacity", "threshold": 50})

    assert "zone" in form.errors


def test_a_shorter_visitor_stay_limit_flags_more_visits(run_now, settings):
    from anpr.models import Vehicle, Visit

    settings.ANPR_VISITOR_MAX_STAY_MINUTES = 240
    guest = Vehicle.objects.create(plate="ABC1234", category=Vehicle.Category.VISITOR)
    staff = Vehicle.objects.create(plate="XYZ9876", category=Vehicle.Category.EMPLOYEE)
    entered = NOW - timedelta(days=2)
    for vehicle, hours in ((guest, 3), (guest, 5), (staff, 9)):
        Visit.objects.create(
            plate=vehicle.plate,
            vehicle=vehicle,
            status=Visit.Status.CLOSED,
            entered_at=entered,
            exited_at=entered + timedelta(hours=hours),
        )

    run = run_now(rule="overstay", overstay_minutes=120)

    assert run.results["totals"] == {"draft": 2, "current": 1, "recorded": 0}
    assert run.results["by_day"] == [{"day": "2026-11-18", "draft": 2, "current": 1, "recorded": 0}]
    with translation.override("en"):
        table = render_to_string("alerts/backtest_results.html", {"run": run, "shown": shown(run)})
    assert "ABC1234" in table and "Overstay" in table and "<th>Plate</th>" in table
