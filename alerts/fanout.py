"""Fan-out of alerts to notification channels, with an outbox that never drops one.

``notify`` writes a Delivery per matching channel inside the caller's transaction and
queues the sending task on commit. ``deliver`` (run by the Celery task) claims the row
with compare-and-set, sends through the channel's transport, and records the attempt:
transient failures are retried with exponential backoff, permanent ones disable the
channel. When the broker is down the rows stay pending and ``sweep`` queues them later.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext

from . import wording
from .choices import AttemptOutcome, ChannelKind, Kind, Severity, Status
from .models import Alert, Delivery, DeliveryAttempt, NotificationChannel
from .transports import Result, TransportError, transport_for
from .transports.email import EmailTarget
from .transports.mqtt import MqttTarget, topic_for
from .transports.retry import RetryPolicy
from .transports.webhook import WebhookTarget

logger = logging.getLogger(__name__)


class BrokerBreaker:
    """After a failed publish, skip the broker for a while: the sweep sends what waits."""

    def __init__(self) -> None:
        self.retry_at = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.retry_at

    def trip(self) -> None:
        self.retry_at = time.monotonic() + settings.ALERT_BROKER_RETRY_SECONDS

    def reset(self) -> None:
        self.retry_at = 0.0


breaker = BrokerBreaker()


def retry_policy() -> RetryPolicy:
    return RetryPolicy(max_attempts=settings.ALERT_DELIVERY_MAX_ATTEMPTS,
                       base_delay=settings.ALERT_DELIVERY_BACKOFF_SECONDS,
                       max_delay=settings.ALERT_DELIVERY_BACKOFF_MAX_SECONDS)


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
        [Delivery(alert=alert, channel=channel, reason=reason)
         for alert in alerts for channel, zones in channels if channel.matches(alert, zones)])
    if deliveries:
        transaction.on_commit(partial(enqueue, [d.pk for d in deliveries]))
    return deliveries


def enqueue(delivery_ids: list[int], countdown: float | None = None) -> bool:
    """Queue the sending task; False (rows stay pending for the sweep) if the broker is down."""
    from .tasks import send_delivery

    if breaker.is_open():
        return False
    try:
        for pk in delivery_ids:
            send_delivery.apply_async((pk,), countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001 — a broker outage must never fail the caller
        breaker.trip()
        logger.warning("broker unavailable, %d deliveries left for the sweep: %s",
                       len(delivery_ids), exc)
        return False
    return True


def deliver(delivery_id: int) -> str:
    """Claim and send one delivery; returns what happened (for logs and tests)."""
    if not Delivery.objects.claim(delivery_id, timezone.now()):
        return "not claimed"
    delivery = Delivery.objects.select_related("alert__camera", "alert__zone", "channel").get(
        pk=delivery_id)
    if not delivery.channel.is_usable:
        delivery.record_failed("channel disabled")
        return "channel disabled"
    started, clock = timezone.now(), time.monotonic()
    try:
        result = send_to_channel(delivery.channel, delivery)
    except TransportError as exc:
        return _record_failure(delivery, exc, started, _elapsed_ms(clock))
    except Exception as exc:  # noqa: BLE001 — a bug must not leave the row claimed forever
        logger.exception("delivery %s failed unexpectedly", delivery_id)
        error = TransportError(f"{type(exc).__name__}: {exc}")
        return _record_failure(delivery, error, started, _elapsed_ms(clock))
    _record_attempt(delivery, started, _elapsed_ms(clock), AttemptOutcome.OK, result.status_code)
    delivery.record_sent(result.status_code)
    delivery.channel.record_success()
    return "sent"


def send_to_channel(channel: NotificationChannel, delivery: Delivery) -> Result:
    payload = alert_payload(delivery.alert, delivery.reason, str(delivery.event_id))
    if channel.kind == ChannelKind.EMAIL:
        payload["labels"] = alert_labels(delivery.alert)
    return transport_for(channel.kind).send(channel_target(channel, delivery.alert), payload,
                                            str(delivery.event_id))


def send_test(channel: NotificationChannel) -> Result:
    """Send a sample alert now (admin and API "test" actions); raises TransportError."""
    now = timezone.now()
    sample = Alert(kind=Kind.VIOLATION, severity=Severity.LOW, title=gettext("Damanat test message"),
                   first_seen_at=now, last_seen_at=now)
    return send_to_channel(channel, Delivery(alert=sample, channel=channel))


def channel_target(channel: NotificationChannel, alert: Alert | None = None):
    if channel.kind == ChannelKind.WEBHOOK:
        return WebhookTarget(url=channel.url, secret=channel.secret, timeout=channel.timeout_seconds,
                             bearer_token=channel.bearer_token)
    if channel.kind == ChannelKind.EMAIL:
        return EmailTarget(recipients=tuple(channel.recipient_list()), language=channel.language)
    kind = alert.kind if alert is not None else "test"
    return MqttTarget(host=channel.mqtt_host, port=channel.mqtt_port,
                      topic=topic_for(channel.mqtt_topic_prefix, kind), username=channel.mqtt_username,
                      password=channel.mqtt_password, timeout=channel.timeout_seconds)


def alert_payload(alert: Alert, reason: str, event_id: str) -> dict:
    camera, zone = alert.camera, alert.zone
    return {
        "event": reason,
        "event_id": event_id,
        "alert": {
            "id": alert.pk, "kind": alert.kind, "severity": alert.severity, "status": alert.status,
            "title": alert.title, "description": alert.description,
            "text": wording.in_each_language(alert.kind, alert.params) if alert.params else {},
            "camera": camera.code if camera else None, "camera_name": camera.name if camera else "",
            "zone": zone.code if zone else None, "zone_name": str(zone) if zone else "",
            "plate": alert.plate, "event_type": alert.event_type,
            "source_event_id": alert.source_event_id, "occurrences": alert.occurrences,
            "first_seen_at": alert.first_seen_at, "last_seen_at": alert.last_seen_at,
        },
    }


def alert_labels(alert: Alert) -> dict:
    """Lazy labels: rendered in the recipient's language by the email transport."""
    return {"kind": Kind(alert.kind).label, "severity": Severity(alert.severity).label,
            "status": Status(alert.status).label,
            "title": lazy(lambda: alert.shown_title, str)(),
            "description": lazy(lambda: alert.shown_description, str)()}


def _record_failure(delivery: Delivery, exc: TransportError, started, duration_ms: int) -> str:
    error, policy = str(exc), retry_policy()
    if exc.permanent or policy.gives_up_after(delivery.attempts):
        _record_attempt(delivery, started, duration_ms, AttemptOutcome.FAILED, exc.status_code, error)
        delivery.record_failed(error, exc.status_code)
        if exc.permanent:
            delivery.channel.disable_for_failure(error)
            return "failed permanently, channel disabled"
        delivery.channel.record_error(error)
        return "failed, retries exhausted"
    _record_attempt(delivery, started, duration_ms, AttemptOutcome.RETRY, exc.status_code, error)
    delay = policy.delay_for(delivery.attempts)
    delivery.schedule_retry(error, exc.status_code, delay)
    delivery.channel.record_error(error)
    enqueue([delivery.pk], countdown=delay.total_seconds())
    return "retry scheduled"


def _record_attempt(delivery: Delivery, started, duration_ms: int, outcome: str,
                    status_code: int | None, error: str = "") -> None:
    DeliveryAttempt.objects.create(delivery=delivery, started_at=started, duration_ms=duration_ms,
                                   outcome=outcome, status_code=status_code, error=error[:2000])


def _elapsed_ms(clock: float) -> int:
    return int((time.monotonic() - clock) * 1000)


def replay(deliveries) -> int:
    """Send failed deliveries again (admin and API); returns how many were queued."""
    ids = []
    with transaction.atomic():
        for delivery in deliveries.select_for_update().filter(status=Delivery.Status.FAILED):
            delivery.replay()
            ids.append(delivery.pk)
        if ids:
            transaction.on_commit(partial(enqueue, ids))
    return len(ids)


def sweep(now=None) -> int:
    """Queue pending deliveries the broker never got, and release claims of dead workers."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.ALERT_SWEEP_GRACE_SECONDS)
    Delivery.objects.stale_claims(now - timedelta(seconds=settings.ALERT_DELIVERY_CLAIM_TIMEOUT_SECONDS)
                                  ).update(status=Delivery.Status.PENDING, claimed_at=None)
    ids = list(Delivery.objects.due(now - grace).order_by("next_attempt_at")
               .values_list("pk", flat=True)[:settings.ALERT_SWEEP_BATCH])
    breaker.reset()
    if ids and not enqueue(ids):
        return 0
    return len(ids)
