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
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from alerts.transports import Result, TransportError, transport_for
from alerts.transports.mqtt import MqttTarget, topic_for
from alerts.transports.webhook import WebhookTarget

from .models import Exporter, ExportRecord

logger = logging.getLogger(__name__)
MQTT_DEFAULT_PORT = 1883


def target_for(exporter: Exporter, kind: str):
    if exporter.transport == Exporter.Transport.MQTT:
        return mqtt_target(exporter, kind)
    return WebhookTarget(
        url=exporter.url, timeout=exporter.timeout_seconds,
        secret=exporter.secret if exporter.auth == Exporter.Auth.HMAC else "",
        bearer_token=exporter.secret if exporter.auth == Exporter.Auth.BEARER else "",
        basic_auth=(exporter.username, exporter.password) if exporter.auth == Exporter.Auth.BASIC else None)


def mqtt_target(exporter: Exporter, kind: str) -> MqttTarget:
    parts = urlsplit(exporter.url)
    try:
        port = parts.port or MQTT_DEFAULT_PORT
    except ValueError:
        raise TransportError(f"bad MQTT port in {exporter.url!r}", permanent=True)
    return MqttTarget(host=parts.hostname or "", port=port, topic=topic_for(exporter.topic, kind),
                      username=exporter.username, password=exporter.password,
                      timeout=exporter.timeout_seconds)


def send(exporter: Exporter, kind: str, payload: dict, event_id: str) -> Result:
    return transport_for(exporter.transport).send(target_for(exporter, kind), payload, event_id)


def export(record_id: int, now: datetime | None = None) -> str:
    """Claim and send one record; returns what happened (for logs and tests)."""
    now = now or timezone.now()
    record = ExportRecord.objects.select_related("exporter").filter(pk=record_id).first()
    if record is None:
        return "missing"
    if not record.exporter.enabled:
        return "exporter disabled"  # stays pending: enabling the exporter resumes it
    if not record.claim(now):
        return "not claimed"
    clock = time.monotonic()
    try:
        result = send(record.exporter, record.kind, record.payload, str(record.event_id))
    except TransportError as exc:
        return record_failure(record, exc, elapsed_ms(clock), now)
    record.mark_exported(timezone.now(), result.status_code, elapsed_ms(clock))
    record.exporter.note_success(timezone.now())
    return "exported"


def record_failure(record: ExportRecord, exc: TransportError, duration_ms: int, now: datetime) -> str:
    exporter = record.exporter
    exporter.note_error(str(exc), now)
    if exc.permanent:
        record.mark_failed(str(exc), exc.status_code, duration_ms)
        logger.warning("export %s refused by %s: %s", record.pk, exporter.name, exc)
        return "failed"
    wait = exporter.backoff(record.attempts + 1)
    record.defer(str(exc), exc.status_code, duration_ms, until=now + wait)
    if record.attempts < exporter.max_attempts:
        schedule_retry(record.pk, wait.total_seconds())
    return "retry"


def schedule_retry(record_id: int, countdown: float) -> None:
    from .tasks import export_record

    try:
        export_record.apply_async((record_id,), countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001 — broker down: the sweep retries it
        logger.warning("retry of export %s not queued: %s", record_id, type(exc).__name__)


def sweep(now: datetime | None = None, limit: int = 500) -> int:
    """Queue every due pending record (after an outage, a broker failure or a worker crash)."""
    from .tasks import export_record

    ids = list(ExportRecord.objects.due(now or timezone.now()).order_by("next_attempt_at")
               .values_list("pk", flat=True)[:limit])
    for record_id in ids:
        try:
            export_record.apply_async((record_id,), retry=False)
        except Exception as exc:  # noqa: BLE001
            logger.warning("export sweep: broker unavailable (%s)", type(exc).__name__)
            return 0
    return len(ids)


def send_test(exporter: Exporter) -> dict:
    """Send a sample record now; report the outcome and the response time."""
    payload = {"kind": "test", "exporter": exporter.name, "sent_at": timezone.now().isoformat(),
               "data": {"message": "Damanat exporter test", "plate": "TEST123"}}
    clock = time.monotonic()
    try:
        result = send(exporter, "test", payload, f"test-{uuid.uuid4()}")
    except TransportError as exc:
        return {"success": False, "status_code": exc.status_code, "response_time_ms": elapsed_ms(clock),
                "message": str(exc), "permanent": exc.permanent}
    return {"success": True, "status_code": result.status_code, "response_time_ms": elapsed_ms(clock),
            "message": result.detail}


def requeue_failed(exporter: Exporter, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return exporter.records.filter(status=ExportRecord.Status.FAILED).update(
        status=ExportRecord.Status.PENDING, next_attempt_at=now, claimed_at=None, attempts=0)


def elapsed_ms(clock: float) -> int:
    return int((time.monotonic() - clock) * 1000)


def purge_exported(now: datetime | None = None, batch: int = 1000) -> int:
    """Forget exported records after EXPORT_RECORD_RETENTION_DAYS; pending and failed ones stay."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_RECORD_RETENTION_DAYS)
    old = ExportRecord.objects.filter(status=ExportRecord.Status.EXPORTED, exported_at__lt=cutoff)
    total = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:batch]):
        total += ExportRecord.objects.filter(pk__in=ids).delete()[0]
    return total
