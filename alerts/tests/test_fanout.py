"""Fan-out: deliveries per matching channel, claims, retries, disabling, replay, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import fanout
from alerts.models import Delivery, NotificationChannel
from alerts.services import raise_alert
from alerts.tests.conftest import SECRET, use_broker


def raise_violation(zone=None, severity="medium", **kwargs):
    return raise_alert(
        "violation",
        title="Vehicle in VIP restricted",
        severity=severity,
        zone=zone,
        camera=getattr(zone, "camera", None),
        **kwargs,
    ).alert


def test_new_alert_writes_one_pending_delivery_per_matching_channel(restricted_zone, webhook_channel):
    NotificationChannel.objects.create(
        name="Disabled", kind="webhook", url="http://127.0.0.1:9/", enabled=False
    )
    alert = raise_violation(restricted_zone)
    [delivery] = Delivery.objects.all()
    assert (delivery.alert, delivery.channel, delivery.status) == (alert, webhook_channel, "pending")


def test_repeat_inside_cooldown_does_not_notify_again(restricted_zone, webhook_channel):
    raise_violation(restricted_zone)
    raise_violation(restricted_zone)
    assert Delivery.objects.count() == 1


def test_escalation_notifies_again(restricted_zone, webhook_channel):
    alert = raise_violation(restricted_zone)
    raised = raise_alert(
        "violation", title="again", severity="critical", zone=restricted_zone, camera=restricted_zone.camera
    )
    assert raised.escalated and raised.alert == alert
    alert.refresh_from_db()
    assert alert.severity == "critical" and alert.occurrences == 2
    assert list(Delivery.objects.values_list("reason", flat=True).order_by("id")) == [
        "alert.created",
        "alert.escalated",
    ]


@pytest.mark.parametrize(
    "filters,matches",
    [
        ({"alert_kinds": ["intrusion"]}, False),
        ({"alert_kinds": ["violation", "intrusion"]}, True),
        ({"min_severity": "high"}, False),
        ({"min_severity": "medium"}, True),
    ],
)
def test_channel_filters_on_kind_and_severity(restricted_zone, filters, matches):
    NotificationChannel.objects.create(name="c", kind="webhook", url="http://127.0.0.1:9/", **filters)
    raise_violation(restricted_zone)
    assert Delivery.objects.exists() is matches


def test_channel_filters_on_zones(restricted_zone, zone_factory):
    other = zone_factory("loading-bay", "loading_bay")
    channel = NotificationChannel.objects.create(name="c", kind="webhook", url="http://127.0.0.1:9/")
    channel.zones.add(other)
    raise_violation(restricted_zone)
    raise_violation(other)
    assert list(Delivery.objects.values_list("alert__zone", flat=True)) == [other.pk]


def test_delivery_sends_a_signed_request_and_records_the_attempt(restricted_zone, webhook_channel, receiver):
    alert = raise_violation(restricted_zone, plate="ABC1234")
    delivery = Delivery.objects.get()
    assert fanout.deliver(delivery.pk) == "sent"
    [request] = receiver.requests
    assert request.signed_with(SECRET)
    assert request.headers["X-Damanat-Event-Id"] == str(delivery.event_id)
    assert request.json["alert"]["id"] == alert.pk and request.json["alert"]["zone"] == "restricted-vip"
    assert request.json["event"] == "alert.created"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 1, 200)
    [attempt] = delivery.attempt_log.all()
    assert attempt.outcome == "ok" and attempt.status_code == 200
    webhook_channel.refresh_from_db()
    assert webhook_channel.last_success_at is not None


def test_a_claimed_delivery_is_not_sent_twice(restricted_zone, webhook_channel, receiver):
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    assert Delivery.objects.claim(delivery.pk, timezone.now())
    assert fanout.deliver(delivery.pk) == "not claimed"
    assert receiver.requests == []


def test_sent_delivery_is_not_sent_again(restricted_zone, webhook_channel, receiver):
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    fanout.deliver(delivery.pk)
    assert fanout.deliver(delivery.pk) == "not claimed"
    assert len(receiver.requests) == 1


def test_5xx_is_retried_with_backoff_and_the_same_event_id(
    restricted_zone, webhook_channel, receiver, settings
):
    settings.ALERT_DELIVERY_BACKOFF_SECONDS = 2
    receiver.statuses = [503, 502]
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()

    def backoff_after_last_attempt() -> float:
        delivery.refresh_from_db()
        return (delivery.next_attempt_at - delivery.attempt_log.last().started_at).total_seconds()

    assert fanout.deliver(delivery.pk) == "retry scheduled"
    assert 2 <= backoff_after_last_attempt() < 3.5
    assert delivery.status == "pending" and delivery.last_status_code == 503
    assert fanout.deliver(delivery.pk) == "not claimed"  # not due yet
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert fanout.deliver(delivery.pk) == "retry scheduled"
    assert 4 <= backoff_after_last_attempt() < 5.5  # doubled
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert fanout.deliver(delivery.pk) == "sent"
    assert len({r.headers["X-Damanat-Event-Id"] for r in receiver.requests}) == 1
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == ["retry", "retry", "ok"]


def test_timeout_is_retried(restricted_zone, receiver):
    receiver.delay = 1.0
    NotificationChannel.objects.create(name="slow", kind="webhook", url=receiver.url, timeout_seconds=0.2)
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    assert fanout.deliver(delivery.pk) == "retry scheduled"
    delivery.refresh_from_db()
    assert "timed out" in delivery.last_error


def test_connection_refused_is_retried(restricted_zone):
    NotificationChannel.objects.create(name="down", kind="webhook", url="http://127.0.0.1:9/hook")
    raise_violation(restricted_zone)
    assert fanout.deliver(Delivery.objects.get().pk) == "retry scheduled"


def test_4xx_is_not_retried_and_disables_the_channel(restricted_zone, webhook_channel, receiver):
    receiver.statuses = [401]
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    assert fanout.deliver(delivery.pk) == "failed permanently, channel disabled"
    delivery.refresh_from_db()
    webhook_channel.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_status_code == 401
    assert webhook_channel.disabled_by_failure and "HTTP 401" in webhook_channel.last_error
    raise_violation(restricted_zone, group_key="another")
    assert Delivery.objects.count() == 1  # a disabled channel gets no new deliveries
    assert len(receiver.requests) == 1


def test_retries_give_up_after_the_maximum_attempts(restricted_zone, webhook_channel, receiver, settings):
    settings.ALERT_DELIVERY_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 500]
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    fanout.deliver(delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert fanout.deliver(delivery.pk) == "failed, retries exhausted"
    delivery.refresh_from_db()
    webhook_channel.refresh_from_db()
    assert delivery.status == "failed" and not webhook_channel.disabled_by_failure


def test_replay_sends_a_failed_delivery_again(
    restricted_zone, webhook_channel, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [400]
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    fanout.deliver(delivery.pk)
    webhook_channel.reenable()
    with django_capture_on_commit_callbacks() as callbacks:
        assert fanout.replay(Delivery.objects.all()) == 1
    assert len(callbacks) == 1
    assert fanout.deliver(delivery.pk) == "sent"
    assert [r.headers["X-Damanat-Event-Id"] for r in receiver.requests] == [str(delivery.event_id)] * 2


def test_delivery_to_a_channel_disabled_meanwhile_fails_without_sending(
    restricted_zone, webhook_channel, receiver
):
    raise_violation(restricted_zone)
    webhook_channel.disable_for_failure("HTTP 410")
    delivery = Delivery.objects.get()
    assert fanout.deliver(delivery.pk) == "channel disabled"
    assert receiver.requests == []


def test_sweep_picks_up_pending_deliveries_and_dead_claims(restricted_zone, webhook_channel, settings):
    settings.ALERT_SWEEP_GRACE_SECONDS = 10
    raise_violation(restricted_zone)
    raise_violation(restricted_zone, group_key="second")
    raise_violation(restricted_zone, group_key="third")
    old, dead, fresh = Delivery.objects.order_by("id")
    Delivery.objects.filter(pk=old.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    Delivery.objects.filter(pk=dead.pk).update(
        status="sending",
        claimed_at=timezone.now() - timedelta(hours=1),
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )
    assert fanout.sweep() == 2 or not _redis_up()
    dead.refresh_from_db()
    assert dead.status == "pending" and dead.claimed_at is None


def _redis_up() -> bool:
    from conftest import REDIS_TEST_URL, port_open

    return port_open(REDIS_TEST_URL, 6379)


def test_broker_down_keeps_the_alert_and_its_pending_delivery(
    restricted_zone, webhook_channel, django_capture_on_commit_callbacks
):
    use_broker("redis://127.0.0.1:9/0")
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_violation(restricted_zone)
    assert alert.pk is not None
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.alert == alert
    assert fanout.breaker.is_open()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_deliveries_send_each_once(
    restricted_zone, webhook_channel, receiver
):
    import threading

    from django.db import connection

    for n in range(10):
        raise_violation(restricted_zone, group_key=f"race{n}")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    outcomes, start = [], threading.Barrier(4)

    def worker():
        start.wait()
        try:
            outcomes.extend(fanout.deliver(pk) for pk in ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("sent") == 10
    assert len(receiver.requests) == 10
    assert len({r.headers["X-Damanat-Event-Id"] for r in receiver.requests}) == 10


def test_an_unexpected_error_is_recorded_and_retried_not_left_claimed(restricted_zone, settings):
    settings.EMAIL_BACKEND = "no.such.Backend"
    NotificationChannel.objects.create(name="mail", kind="email", recipients="guard@example.test")
    raise_violation(restricted_zone)
    delivery = Delivery.objects.get()
    assert fanout.deliver(delivery.pk) == "retry scheduled"
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "No module named" in delivery.last_error


def test_an_older_repeat_does_not_move_last_seen_backwards(restricted_zone):
    now = timezone.now()
    alert = raise_violation(restricted_zone, at=now)
    raise_violation(restricted_zone, at=now - timedelta(seconds=5))
    alert.refresh_from_db()
    assert alert.occurrences == 2 and alert.last_seen_at == now


def test_webhook_channel_bearer_token_is_sent(restricted_zone, receiver):
    NotificationChannel.objects.create(
        name="with token", kind="webhook", url=receiver.url, bearer_token="integrator-token"
    )
    raise_violation(restricted_zone)
    fanout.deliver(Delivery.objects.get().pk)
    assert receiver.requests[0].headers["Authorization"] == "Bearer integrator-token"
