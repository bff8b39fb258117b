from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from detectors.services import check_heartbeats, record_heartbeat
from detectors.tasks import check_heartbeats as watchdog_task


@pytest.fixture
def alive_detector(detector, camera):
    record_heartbeat(detector, [camera.pk], at=timezone.now() - timedelta(seconds=30))
    return detector


def offline_alerts():
    return Alert.objects.filter(kind=Alert.Kind.DETECTOR_OFFLINE)


def test_a_recent_heartbeat_keeps_the_detector_active(alive_detector):
    assert check_heartbeats() == []

    alive_detector.refresh_from_db()
    assert alive_detector.is_active and not offline_alerts().exists()


def test_a_minute_of_silence_only_warns(alive_detector, caplog):
    went = check_heartbeats(now=timezone.now() + timedelta(seconds=50))

    assert went == [] and not offline_alerts().exists()
    assert "no heartbeat since" in caplog.text


def test_two_minutes_of_silence_marks_inactive_and_raises_detector_offline(alive_detector, camera):
    went = check_heartbeats(now=timezone.now() + timedelta(seconds=100))

    assert went == [alive_detector]
    alive_detector.refresh_from_db()
    assert not alive_detector.is_active and alive_detector.went_inactive_at is not None
    alert = offline_alerts().get()
    assert alert.status == Alert.Status.OPEN and "Crime model 1" in alert.title
    assert camera.code in alert.description


def test_the_watchdog_raises_once_per_silence(alive_detector):
    later = timezone.now() + timedelta(minutes=3)
    check_heartbeats(now=later)
    check_heartbeats(now=later + timedelta(minutes=5))

    assert offline_alerts().count() == 1


def test_a_heartbeat_after_that_reactivates_and_resolves_the_alert(alive_detector, camera, authed):
    check_heartbeats(now=timezone.now() + timedelta(minutes=3))

    response = authed.post("/api/model/heartbeat", {"camera_ids": [camera.pk]}, format="json")

    assert response.status_code == 200
    alive_detector.refresh_from_db()
    assert alive_detector.is_active and alive_detector.went_inactive_at is None
    assert offline_alerts().get().status == Alert.Status.RESOLVED


def test_a_second_outage_raises_a_new_alert(alive_detector, camera):
    check_heartbeats(now=timezone.now() + timedelta(minutes=3))
    record_heartbeat(alive_detector, [camera.pk], at=timezone.now() + timedelta(minutes=4))
    check_heartbeats(now=timezone.now() + timedelta(minutes=7))

    assert offline_alerts().count() == 2
    assert offline_alerts().filter(status=Alert.Status.OPEN).count() == 1


def test_a_disabled_or_never_started_detector_is_not_watched(detector):
    assert check_heartbeats(now=timezone.now() + timedelta(hours=1)) == []
    assert not offline_alerts().exists()


def test_the_beat_task_runs_the_watchdog(alive_detector, monkeypatch):
    later = timezone.now() + timedelta(minutes=3)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    assert watchdog_task.apply().get() == 1
    assert offline_alerts().count() == 1


def test_the_watchdog_is_on_the_beat_schedule():
    from damanat.celery import app

    entry = app.conf.beat_schedule["detectors-heartbeat-watchdog"]
    assert entry["task"] == "detectors.check_heartbeats"


def test_a_heartbeat_landing_during_the_scan_wins(alive_detector, camera):
    stale_view = type(alive_detector).objects.get(pk=alive_detector.pk)
    record_heartbeat(alive_detector, [camera.pk])  # arrives after the watchdog read the row

    assert not stale_view.mark_inactive(timezone.now() - timedelta(seconds=10))
    alive_detector.refresh_from_db()
    assert alive_detector.is_active
