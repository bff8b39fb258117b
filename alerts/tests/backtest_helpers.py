"""Stored events for backtests: written as the processor leaves them (accepted)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from alerts.backtest_forms import BacktestForm
from alerts.models import BacktestRun
from cameras.models import CameraEvent

# A facility noon; the backtest period is the 30 days before it.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Riyadh"))


@pytest.fixture
def facility_noon(eager_celery, settings):
    """Tasks run at once, at NOW, with the 30 s default cooldown."""
    settings.INTRUSION_COOLDOWN_SECONDS = 30
    with time_machine.travel(NOW, tick=False):
        yield


def stored_events(zone, moments, event_type="fielddetection", target="vehicle", camera=None):
    camera = camera or zone.camera
    return CameraEvent.objects.bulk_create(
        [
            CameraEvent(
                camera=camera,
                event_type=event_type,
                event_state="active",
                region_id=zone.code,
                detection_target=target,
                trigger_time=moment,
                received_at=moment,
                status=CameraEvent.Status.ACCEPTED,
            )
            for moment in moments
        ]
    )


def seconds_before_now(*offsets, days=1):
    """Moments ``days`` before NOW, plus each offset in seconds."""
    start = NOW - timedelta(days=days)
    return [start + timedelta(seconds=offset) for offset in offsets]


def backtest(user=None, **fields) -> BacktestRun:
    """Start a backtest through the form and run its task (the caller captures on_commit)."""
    form = BacktestForm(data={"days": 30, **fields})
    assert form.is_valid(), form.errors
    return form.start(user)
