"""Periodic visit housekeeping: stale visits, overstays and the misread inbox."""
from __future__ import annotations

from celery import shared_task

from . import misreads, services


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
        Vehicle.objects.filter(valid_until=day - timedelta(days=1)).values_list("plate", flat=True))
    if plates:
        with transaction.atomic():
            registry_touched(plates)
    return len(plates)
