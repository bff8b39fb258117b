"""Celery tasks for cameras: thin wrappers that take ids and call the provisioning code."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .models import Camera

logger = logging.getLogger("cameras.tasks")


@shared_task(name="cameras.check_camera_health", ignore_result=True)
def check_camera_health() -> dict:
    """Every minute: probe cameras, raise camera_offline, resolve on return."""
    from .provisioning.health import check_health

    report = check_health()
    return {"checked": report.checked, "raised": report.raised, "resolved": report.resolved}


@shared_task(name="cameras.repair_camera_drift", ignore_result=True)
def repair_camera_drift() -> dict:
    """Hourly: read push settings back, record and re-apply what drifted."""
    from .provisioning.drift import repair_all

    results = repair_all()
    return {
        "checked": len(results),
        "drifted": sum(bool(r.drifts) for r in results),
        "unreachable": sum(bool(r.error) for r in results),
    }


@shared_task(name="cameras.provision_camera", ignore_result=True)
def provision_camera(camera_id: int) -> bool:
    from .provisioning.push import provision_push

    camera = Camera.objects.filter(pk=camera_id).first()
    if camera is None:
        return False
    outcome = provision_push(camera)
    if not outcome.ok:
        logger.warning("provisioning %s failed: %s", camera.code, outcome.error)
    return outcome.ok


@shared_task(name="cameras.stop_camera_alarm", ignore_result=True)
def stop_camera_alarm(camera_id: int, started_at: str) -> bool:
    """End a timed alarm unless a later start has taken over."""
    from .provisioning.alarm import stop_if_still_current

    return stop_if_still_current(camera_id, started_at)


@shared_task(name="cameras.process_partition", ignore_result=True, acks_late=True)
def process_partition(partition: int) -> int:
    """Apply the rules to a partition's queued events (the processor workers, queue ``events``)."""
    from . import processing, wakeups

    done, more = processing.drain_partition(partition)
    if not more:
        # The flag stays up while the partition drains, so pushes meanwhile send no task;
        # lowered, one more look takes any that committed before it came down.
        wakeups.lowered(partition)
        extra, more = processing.drain_partition(partition)
        done += extra
    if more:
        wakeups.send(partition, force=True)
    return done


@shared_task(name="cameras.drain_queued_events", ignore_result=True)
def drain_queued_events() -> int:
    """Beat sweep: wake every partition whose events have waited (lost wake-ups, outages)."""
    from . import processing, wakeups

    partitions = processing.waiting_partitions(older_than=settings.EVENT_QUEUE_SWEEP_SECONDS / 2)
    for partition in partitions:
        wakeups.send(partition, force=True)
    return len(partitions)


@shared_task(name="cameras.fetch_event_pictures", ignore_result=True)
def fetch_event_pictures(event_id: int) -> int:
    """Pictures sent by URL: fetched from the camera after the push is stored."""
    from .models import CameraEvent
    from .pictures import fetch_pictures

    event = CameraEvent.objects.select_related("camera").filter(pk=event_id).first()
    return fetch_pictures(event) if event is not None and event.camera else 0
