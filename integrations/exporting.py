"""Send export records through the alerts app's transports, one claim per record.

A worker claims a record with compare-and-set before sending, so two workers never send
it twice. Transient failures (timeouts, refused connections, 5xx) are retried with the
exporter's backoff: ``max_attempts`` quick retries queued with a countdown, then the
periodic sweep keeps trying at the longest wait until the receiver is back — an outage
delays exports and loses none. A permanent refusal (4xx, bad configuration) marks the
record failed; staff can requeue failed records once the receiver is fixed.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from functools import partial

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from alerts.transports import Result
from alerts.transports import send as transport_send
from damanat.outbox import queueing
from damanat.outbox.sending import Settled, attempt, settle

from .models import Exporter, ExportRecord

logger = logging.getLogger(__name__)
OUTCOMES = {Settled.SENT: "exported", Settled.RETRY: "retry", Settled.REFUSED: "failed"}


def send(exporter: Exporter, kind: str, payload: dict, event_id: str) -> Result:
    return transport_send(exporter.transport, exporter.destination(), kind, payload, event_id)


def start_exports(ids: list[int]) -> bool:
    """Queue the export tasks; if the broker is down the sweep sends them later."""
    return queueing.enqueue_each(export_record, [(pk,) for pk in ids])


def export(record_id: int, now: datetime | None = None) -> str:
    """Claim and send one record; returns what happened (for logs and tests)."""
    now = now or timezone.now()
    record = ExportRecord.objects.select_related("exporter").filter(pk=record_id).first()
    if record is None:
        return "missing"
    exporter = record.exporter
    if not exporter.enabled:
        return "exporter disabled"  # stays pending: enabling the exporter resumes it
    if not ExportRecord.objects.claim(record_id, now):
        return "not claimed"
    record.refresh_from_db(fields=["attempts"])
    tried = attempt(
        partial(send, exporter, record.kind, record.payload, str(record.event_id)), f"export {record_id}"
    )
    settled = settle(
        record, tried, exporter.retry_policy(), export_record, now=now, duration_ms=tried.duration_ms
    )
    if tried.error is None:
        exporter.record_success()
        return "exported"
    exporter.record_error(str(tried.error), now)
    if settled == Settled.REFUSED:
        logger.warning("export %s refused by %s: %s", record.pk, exporter.name, tried.error)
    return OUTCOMES[settled]


def sweep(now: datetime | None = None, limit: int = 500) -> int:
    """Queue every due pending record (after an outage, a broker failure or a worker crash)."""
    return queueing.sweep(ExportRecord.objects.all(), export_record, now or timezone.now(), limit=limit)


def send_test(exporter: Exporter) -> dict:
    """Send a sample record now; report the outcome and the response time."""
    payload = {
        "kind": "test",
        "exporter": exporter.name,
        "sent_at": timezone.now().isoformat(),
        "data": {"message": "Damanat exporter test", "plate": "TEST123"},
    }
    tried = attempt(partial(send, exporter, "test", payload, f"test-{uuid.uuid4()}"), "exporter test")
    if tried.error is not None:
        return {
            "success": False,
            "status_code": tried.error.status_code,
            "response_time_ms": tried.duration_ms,
            "message": str(tried.error),
            "permanent": tried.error.permanent,
        }
    return {
        "success": True,
        "status_code": tried.result.status_code,
        "response_time_ms": tried.duration_ms,
        "message": tried.result.detail,
    }


def requeue_failed(exporter: Exporter, now: datetime | None = None) -> int:
    """Failed records pending again; the caller's sweep queues them."""
    return len(exporter.records.all().replay_failed(now))


def purge_exported(now: datetime | None = None, batch: int = 1000) -> int:
    """Forget exported records after EXPORT_RECORD_RETENTION_DAYS; pending and failed ones stay."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_RECORD_RETENTION_DAYS)
    old = ExportRecord.objects.filter(status=ExportRecord.Status.EXPORTED, exported_at__lt=cutoff)
    total = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:batch]):
        total += ExportRecord.objects.filter(pk__in=ids).delete()[0]
    return total


# The exporter's policy decides when to stop quick retries, not Celery.
@shared_task(name="integrations.export_record", ignore_result=True, max_retries=None)
def export_record(record_id: int) -> str:
    return export(record_id)


@shared_task(name="integrations.sweep_exports", ignore_result=True)
def sweep_exports() -> int:
    return sweep()


@shared_task(name="integrations.purge_export_records", ignore_result=True)
def purge_export_records() -> int:
    return purge_exported()
