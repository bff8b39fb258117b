"""Periodic parking work (registered with beat in ParkingConfig.ready)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import drift, history, resets, vision


@shared_task(name="parking.take_snapshot")
def take_snapshot() -> int:
    return history.take_snapshot()


@shared_task(name="parking.check_drift")
def check_drift() -> int:
    return len(drift.announce_drifts())


@shared_task(name="parking.run_scheduled_resets")
def run_scheduled_resets() -> int:
    return len(resets.run_scheduled_resets())


@shared_task(name="parking.purge_old_records")
def purge_old_records() -> int:
    return vision.purge_old_events(settings.VISION_EVENT_RETENTION_DAYS) + _purge_snapshots()


def _purge_snapshots() -> int:
    days = history.snapshot_keep_days()
    return history.purge_old_snapshots(days) if days is not None else 0
