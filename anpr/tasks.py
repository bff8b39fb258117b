"""Periodic visit housekeeping: stale visits and overstays."""
from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="anpr.close_stale_visits")
def close_stale_visits() -> int:
    return services.close_stale_visits()


@shared_task(name="anpr.check_overstays")
def check_overstays() -> int:
    return services.check_overstays()
