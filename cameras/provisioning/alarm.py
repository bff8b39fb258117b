"""A camera's alarm output (siren / strobe) switched on for a while, or off.

The device keeps the output high until told otherwise, so a timed start schedules
its own stop; ``alarm_until`` makes a later start win over an earlier stop.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cameras.isapi import ISAPIClient
from cameras.models import Camera
from damanat.celery import task_named


def start_alarm(camera: Camera, duration: int, now: datetime | None = None) -> datetime:
    """Switch the output on now; it goes off by itself after ``duration`` seconds."""
    until = (now or timezone.now()) + timedelta(seconds=duration)
    with ISAPIClient.for_camera(camera) as device:
        device.set_alarm_output(True)
    Camera.objects.filter(pk=camera.pk).update(alarm_until=until)
    camera.alarm_until = until
    transaction.on_commit(lambda: _schedule_stop(camera.pk, until))
    return until


def stop_alarm(camera: Camera) -> None:
    with ISAPIClient.for_camera(camera) as device:
        device.set_alarm_output(False)
    Camera.objects.filter(pk=camera.pk).update(alarm_until=None)
    camera.alarm_until = None


def stop_if_still_current(camera_id: int, until_iso: str) -> bool:
    camera = Camera.objects.filter(pk=camera_id, alarm_until=datetime.fromisoformat(until_iso)).first()
    if camera is None:
        return False  # stopped already, or a later start extended it
    stop_alarm(camera)
    return True


def _schedule_stop(camera_id: int, until: datetime) -> None:
    task_named("cameras.stop_camera_alarm").apply_async((camera_id, until.isoformat()), eta=until)
