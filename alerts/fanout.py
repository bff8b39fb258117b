"""Fan-out of alerts to notification channels, with an outbox that never drops one.

``notify`` writes a Delivery per matching channel inside the caller's transaction and
queues the sending task on commit. ``deliver`` (run by the Celery task) claims the row
with compare-and-set, sends through the channel's transport, and records the attempt:
transient failures are retried with exponential backoff, permanent ones disable the
channel. When the broker is down the rows stay pending and ``sweep`` queues them later.
The claim, backoff, retry and sweep are the shared outbox's (``damanat.outbox``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

from damanat.outbox import queueing
from damanat.outbox.retry import RetryPolicy
from damanat.outbox.sending import Attempt, Settled, attempt, settle

from . import wording
from .choices import AttemptOutcome, ChannelKind, Kind, Severity, Status
from .models import Alert, Delivery, DeliveryAttempt, NotificationChannel
from .transports import Result, send

if TYPE_CHECKING:
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)
breaker = queueing.BrokerBreaker("ALERT_BROKER_RETRY_SECONDS")
OUTCOMES = {
    Settled.SENT: (AttemptOutcome.OK, "sent"),
    Settled.RETRY: (AttemptOutcome.RETRY, "retry scheduled"),
    Settled.REFUSED: (AttemptOutcome.FAILED, "failed permanently, channel disabled"),
    Settled.EXHAUSTED: (AttemptOutcome.FAILED, "failed, retries exhausted"),
}


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.ALERT_DELIVERY_MAX_ATTEMPTS,
        base_delay=settings.ALERT_DELIVERY_BACKOFF_SECONDS,
        max_delay=settings.ALERT_DELIVERY_BACKOFF_MAX_SECONDS,
    )


def usable_channels() -> list[tuple[NotificationChannel, set[int]]]:
    """Every usable channel with the zones it is limited to (empty: all zones)."""
    channels = list(NotificationChannel.objects.usable())
    if not channels:
        return []
    zone_filters: dict[int, set[int]] = {c.pk: set() for c in channels}
    links = NotificationChannel.zones.through.objects.filter(notificationchannel_id__in=zone_filters)
    for channel_id, zone_id in links.values_list("notificationchannel_id", "zone_id"):
        zone_filters[channel_id].add(zone_id)
    return [(channel, zone_filters[channel.pk]) for channel in channels]


def matching_channels(alert: Alert) -> list[NotificationChannel]:
    return [channel for channel, zones in usable_channels() if channel.matches(alert, zones)]


def notify(alert: Alert, reason: str) -> list[Delivery]:
    """Write the outbox rows for this alert; the task is queued once the transaction commits."""
    return notify_many([alert], reason)


def notify_many(alerts: list[Alert], reason: str) -> list[Delivery]:
    """``notify`` for a batch of alerts: the channels are read once, the rows are one INSERT."""
    channels = usable_channels() if alerts else []
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(alert=alert, channel=channel, reason=reason)
            for alert in alerts
            for channel, zones in channels
            if channel.matches(alert, zones)
        ]
    )
    if deliveries:
        transaction.on_commit(partial(enqueue, [d.pk for d in deliveries]))
    return deliveries


def enqueue(delivery_ids: list[int]) -> bool:
    """Queue the sending task; False (rows stay pending for the sweep) if the broker is down."""
    return queueing.enqueue_each(send_delivery, [(pk,) for pk in delivery_ids], breaker=breaker)


def deliver(delivery_id: int) -> str:
    """Claim and send one delivery; returns what happened (for logs and tests)."""
    if not Delivery.objects.claim(delivery_id, timezone.now()):
        return "not claimed"
    delivery = Delivery.objects.select_related("alert__camera", "alert__zone", "channel").get(pk=delivery_id)
    channel = delivery.channel
    if not channel.is_usable:
        delivery.record_failed("channel disabled")
        return "channel disabled"
    tried = attempt(partial(send_to_channel, channel, delivery), f"delivery {delivery_id}")
    settled = settle(delivery, tried, retry_policy(), send_delivery, breaker=breaker)
    outcome, said = OUTCOMES[settled]
    _log_attempt(delivery, tried, outcome)
    _note_on_channel(channel, settled, str(tried.error or ""))
    return said


def _log_attempt(delivery: Delivery, tried: Attempt, outcome: str) -> None:
    code = tried.error.status_code if tried.error else tried.result.status_code
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=tried.started,
        duration_ms=tried.duration_ms,
        outcome=outcome,
        status_code=code,
        error=str(tried.error or "")[:2000],
    )


def _note_on_channel(channel: NotificationChannel, settled: Settled, error: str) -> None:
    if settled == Settled.SENT:
        channel.record_success()
    elif settled == Settled.REFUSED:
        channel.disable_for_failure(error)
    else:
        channel.record_error(error)


def send_to_channel(channel: NotificationChannel, delivery: Delivery) -> Result:
    payload = alert_payload(delivery.alert, delivery.reason, str(delivery.event_id))
    if channel.kind == ChannelKind.EMAIL:
        payload["labels"] = alert_labels(delivery.alert)
    subject = delivery.alert.kind if delivery.alert.pk else "test"
    return send(channel.kind, channel.destination(), subject, payload, str(delivery.event_id))


def send_test(channel: NotificationChannel) -> Result:
    """Send a sample alert now (admin and API "test" actions); raises TransportError."""
    now = timezone.now()
    sample = Alert(
        kind=Kind.VIOLATION,
        severity=Severity.LOW,
        title=gettext("Damanat test message"),
        first_seen_at=now,
        last_seen_at=now,
    )
    return send_to_channel(channel, Delivery(alert=sample, channel=channel))


def alert_payload(alert: Alert, reason: str, event_id: str) -> dict:
    camera, zone = alert.camera, alert.zone
    return {
        "event": reason,
        "event_id": event_id,
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "severity": alert.severity,
            "status": alert.status,
            "title": alert.title,
            "description": alert.description,
            "text": wording.in_each_language(alert.kind, alert.params) if alert.params else {},
            "camera": camera.code if camera else None,
            "camera_name": camera.name if camera else "",
            "zone": zone.code if zone else None,
            "zone_name": str(zone) if zone else "",
            "plate": alert.plate,
            "event_type": alert.event_type,
            "source_event_id": alert.source_event_id,
            "occurrences": alert.occurrences,
            "first_seen_at": alert.first_seen_at,
            "last_seen_at": alert.last_seen_at,
        },
    }


def alert_labels(alert: Alert) -> dict:
    """Lazy labels: rendered in the recipient's language by the email transport."""
    return {
        "kind": Kind(alert.kind).label,
        "severity": Severity(alert.severity).label,
        "status": Status(alert.status).label,
        "title": lazy(lambda: alert.shown_title, str)(),
        "description": lazy(lambda: alert.shown_description, str)(),
    }


def replay(deliveries: QuerySet[Delivery]) -> int:
    """Send failed deliveries again (admin and API); returns how many were queued."""
    with transaction.atomic():
        ids = deliveries.replay_failed()
        if ids:
            transaction.on_commit(partial(enqueue, ids))
    return len(ids)


def sweep(now: datetime | None = None) -> int:
    """Queue pending deliveries the broker never got, and release claims of dead workers."""
    return queueing.sweep(
        Delivery.objects.all(),
        send_delivery,
        now or timezone.now(),
        grace=timedelta(seconds=settings.ALERT_SWEEP_GRACE_SECONDS),
        limit=settings.ALERT_SWEEP_BATCH,
        breaker=breaker,
    )


# The row decides when to stop retrying (ALERT_DELIVERY_MAX_ATTEMPTS), not Celery.
@shared_task(name="alerts.send_delivery", ignore_result=True, max_retries=None)
def send_delivery(delivery_id: int) -> str:
    return deliver(delivery_id)


@shared_task(name="alerts.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> int:
    return sweep()
