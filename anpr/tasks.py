"""Periodic visit housekeeping (stale visits, overstays, the misread inbox) and the gate
cameras' plate lists."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from damanat.outbox.queueing import enqueue

from . import misreads, services
from .plate_sync import PENDING_KEY, sync_all

logger = logging.getLogger("anpr.tasks")


@shared_task(name="anpr.close_stale_visits")
def close_stale_visits() -> int:
    return services.close_stale_visits()


@shared_task(name="anpr.sweep_misreads")
def sweep_misreads() -> int:
    return misreads.sweep()


@shared_task(name="anpr.check_overstays")
def check_overstays() -> int:
    return services.check_overstays()


@shared_task(name="anpr.keep_day_figures")
def keep_day_figures() -> int:
    """Compute and keep the figures of finished days, so the first chart of the day is fast."""
    from datetime import timedelta

    from django.conf import settings

    from .figures import day_series
    from .services import today

    yesterday = today() - timedelta(days=1)
    return len(day_series(yesterday - timedelta(days=settings.ANPR_RANGE_MAX_DAYS - 1), yesterday))


@shared_task(name="anpr.announce_validity_changes")
def announce_validity_changes() -> int:
    """Permits that start today or ended yesterday change the allowed list: announce them."""
    from datetime import timedelta

    from django.db import transaction

    from .models import Vehicle
    from .services import today
    from .signals import registry_touched

    day = today()
    plates = list(Vehicle.objects.filter(valid_from=day).values_list("plate", flat=True)) + list(
        Vehicle.objects.filter(valid_until=day - timedelta(days=1)).values_list("plate", flat=True)
    )
    if plates:
        with transaction.atomic():
            registry_touched(plates)
    return len(plates)


# The name predates the move from cameras: queued messages and beat entries keep working.
@shared_task(name="cameras.sync_camera_plates", ignore_result=True)
def sync_camera_plates() -> dict[str, int]:
    """After registry changes (and hourly): gate cameras' plate lists match the registry."""
    outcomes = sync_all()
    for outcome in outcomes:
        if not outcome.ok:
            logger.warning("plate sync on %s failed: %s", outcome.camera.code, outcome.error)
    return {"cameras": len(outcomes), "failed": sum(not o.ok for o in outcomes)}


def schedule_sync(delay_seconds: int) -> bool:
    """Queue one sync for a burst of registry changes; False when one is already queued."""
    if not cache.add(PENDING_KEY, "1", timeout=max(delay_seconds * 3, 60)):
        return False
    if not enqueue(sync_camera_plates, countdown=delay_seconds):  # the hourly sync catches up
        cache.delete(PENDING_KEY)
        return False
    return True
