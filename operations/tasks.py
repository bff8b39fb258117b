from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="operations.tasks.apply_retention")
def apply_retention() -> dict:
    return retention.apply_retention()


@shared_task(name="operations.tasks.enforce_picture_budget")
def enforce_picture_budget() -> int:
    return retention.enforce_picture_budget()
