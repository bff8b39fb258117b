"""Celery tasks: thin, they take ids."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from celery import shared_task
from django.utils import timezone

from .models import CrimeReport

if TYPE_CHECKING:
    from celery import Task


@shared_task(name="detectors.check_heartbeats")
def check_heartbeats() -> int:
    from .services import check_heartbeats as run

    return len(run())


@shared_task(bind=True, name="detectors.retrieve_evidence", acks_late=True)
def retrieve_evidence(self: Task, report_id: int) -> str:
    from . import evidence

    report = CrimeReport.objects.filter(pk=report_id).select_related("camera").first()
    if report is None:
        return "missing"
    outcome = evidence.retrieve(report)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return outcome.status


@shared_task(name="detectors.sweep_evidence")
def sweep_evidence() -> int:
    """Queue evidence retrieval that never started (broker down) or whose worker was lost."""
    from .services import enqueue_evidence

    stalled = CrimeReport.objects.evidence_stalled(
        timezone.now(), pending_for=timedelta(minutes=2), retrieving_for=timedelta(hours=1)
    )
    return sum(enqueue_evidence(pk) for pk in stalled.values_list("pk", flat=True))
