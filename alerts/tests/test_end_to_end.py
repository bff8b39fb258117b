"""End to end with a real Celery worker on Redis: camera push → alert → signed webhook, once."""

from __future__ import annotations

import time

import pytest
import requests
from celery.contrib.testing.worker import start_worker

from alerts import fanout
from alerts.models import Alert, Delivery
from alerts.tests.conftest import SECRET, use_broker
from cameras.simulator import region_event_xml
from damanat.celery import app
from damanat.testing import wait_until

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url):
    use_broker(redis_url)
    app.control.purge()  # tasks left by earlier runs under this worker's key prefix
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        yield


def push_fielddetection(live_server, zone: str) -> requests.Response:
    return requests.post(
        f"{live_server.url}/api/v1/events/camera",
        data=region_event_xml("fielddetection", zone, target="vehicle"),
        headers={"Content-Type": "application/xml", "X-Forwarded-For": "192.168.1.101"},
        timeout=10,
    )


def test_push_into_restricted_zone_reaches_the_webhook_once_signed(
    live_server, restricted_zone, webhook_channel, receiver, worker
):
    response = push_fielddetection(live_server, "restricted-vip")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert receiver.wait_for(1, timeout=10)
    time.sleep(0.5)  # nothing more may arrive
    [request] = receiver.requests
    assert request.signed_with(SECRET)
    alert = Alert.objects.get(kind="violation")
    assert request.json["alert"]["id"] == alert.pk and request.json["alert"]["zone"] == "restricted-vip"
    delivery = Delivery.objects.get()
    assert request.headers["X-Damanat-Event-Id"] == str(delivery.event_id)
    assert wait_until(lambda: Delivery.objects.get().status == "sent")


def test_a_failed_send_is_retried_by_the_worker_after_the_backoff_with_the_same_event_id(
    live_server, restricted_zone, webhook_channel, receiver, worker, settings
):
    settings.ALERT_DELIVERY_BACKOFF_SECONDS = 0.3
    receiver.statuses = [503]
    assert push_fielddetection(live_server, "restricted-vip").status_code == 200
    assert receiver.wait_for(2, timeout=10)
    delivery = Delivery.objects.get()
    assert wait_until(lambda: delivery.attempt_log.count() == 2)
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == ["retry", "ok"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert {r.headers["X-Damanat-Event-Id"] for r in receiver.requests} == {str(delivery.event_id)}


def test_alert_raised_while_redis_is_down_goes_out_when_it_is_back(
    live_server, restricted_zone, webhook_channel, receiver, redis_url, settings
):
    settings.ALERT_SWEEP_GRACE_SECONDS = 0
    use_broker("redis://127.0.0.1:9/0")
    response = push_fielddetection(live_server, "restricted-vip")
    assert response.status_code == 200
    assert Alert.objects.filter(kind="violation").count() == 1
    assert Delivery.objects.get().status == "pending"
    use_broker(redis_url)
    app.control.purge()
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
        assert fanout.sweep() == 1
        assert receiver.wait_for(1, timeout=10)
        assert wait_until(lambda: Delivery.objects.get().status == "sent")
    assert len(receiver.requests) == 1 and receiver.requests[0].signed_with(SECRET)
