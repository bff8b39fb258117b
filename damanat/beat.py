"""Celery beat schedule, assembled from the entries each app registers.

Apps call ``register_periodic(name, task, seconds)`` in their ``AppConfig.ready``;
``install`` copies the collected entries into Celery's configuration.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from .celery import app

_SCHEDULE: dict[str, dict] = {}


def register_periodic(name: str, task: str, schedule: float | crontab, **options: Any) -> None:
    _SCHEDULE[name] = {"task": task, "schedule": schedule, **options}
    app.conf.beat_schedule = dict(_SCHEDULE)


def install() -> None:
    app.conf.beat_schedule = dict(_SCHEDULE)
