from __future__ import annotations

from datetime import date, timedelta

import pytest

from anpr.figures import daily, day_series
from anpr.models import DayFigure
from anpr.tasks import keep_day_figures

from .conftest import MORNING

pytestmark = pytest.mark.django_db
THE_20TH = date(2026, 2, 20)


def test_a_finished_day_is_kept_and_recomputed_after_a_late_passage(entry_camera, exit_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(exit_camera, "ABJ1234", MORNING + timedelta(minutes=60))
    assert daily(THE_20TH)["avg_parking_minutes"] == 60.0
    assert DayFigure.objects.get(day=THE_20TH).figures["visits"] == 1

    # A camera's backlog arrives the next week: the kept figures give way.
    read_plate(entry_camera, "DEF200", MORNING + timedelta(hours=1))
    read_plate(exit_camera, "DEF200", MORNING + timedelta(hours=3))

    figures = daily(THE_20TH)
    assert (figures["entries"], figures["exits"], figures["visits"]) == (2, 2, 2)
    assert figures["avg_parking_minutes"] == 90.0


def test_kept_and_live_figures_agree(entry_camera, exit_camera, read_plate):
    for plate, minutes in (("ABJ1234", 30), ("DEF200", 50), ("GHJ300", 400)):
        read_plate(entry_camera, plate, MORNING)
        read_plate(exit_camera, plate, MORNING + timedelta(minutes=minutes))
    live = [day.as_dict() for day in day_series(THE_20TH, THE_20TH)]
    assert DayFigure.objects.exists()
    kept = [day.as_dict() for day in day_series(THE_20TH, THE_20TH)]
    assert kept == live
    assert live[0]["median_parking_minutes"] == 50.0
    day = day_series(THE_20TH, THE_20TH)[0]
    assert (day.day, day.entries, day.exits, day.durations.median_seconds) == (THE_20TH, 3, 3, 3000)
    assert day.by_category["unknown"].entries == 3


def test_the_hourly_task_keeps_every_finished_day_of_the_range(settings, entry_camera, read_plate):
    settings.ANPR_RANGE_MAX_DAYS = 10
    read_plate(entry_camera, "ABJ1234", MORNING)
    assert keep_day_figures() == 10
    assert DayFigure.objects.count() == 10


def test_kept_figures_outlive_the_retention_of_passages_and_visits(
    entry_camera, exit_camera, read_plate, settings
):
    from operations.retention import apply_retention

    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(exit_camera, "ABJ1234", MORNING + timedelta(minutes=45))
    assert daily(THE_20TH)["visits"] == 1

    from django.utils import timezone

    apply_retention(now=timezone.now() + timedelta(days=400))

    from anpr.models import GatePassage, Visit

    assert not GatePassage.objects.exists() and not Visit.objects.exists()
    figures = daily(THE_20TH)
    assert (figures["entries"], figures["visits"], figures["avg_parking_minutes"]) == (1, 1, 45.0)


def test_parking_time_between_with_and_without_visits(entry_camera, exit_camera, read_plate):
    from anpr.figures import parking_time_between

    assert parking_time_between(THE_20TH, THE_20TH).visits == 0
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(exit_camera, "ABJ1234", MORNING + timedelta(minutes=40))
    durations = parking_time_between(THE_20TH - timedelta(days=1), THE_20TH)
    assert (durations.visits, durations.avg_seconds, durations.median_seconds) == (1, 2400, 2400)
