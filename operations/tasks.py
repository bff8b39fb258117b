from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="operations.tasks.apply_retention")
def apply_retention() -> dict:
    return retention.apply_retention()
