"""EVENT_PROCESSING=queued: the camera's answer follows the INSERT; workers apply the rules."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cameras import processing, simulator
from cameras.models import CameraEvent
from cameras.tasks import drain_queued_events
from cameras.tests.conftest import WEBHOOK, make_camera
from damanat.testing import wait_until
from parking.models import OccupancyChange, Zone


@pytest.fixture
def queued(settings):
    settings.EVENT_PROCESSING = "queued"


@pytest.fixture
def row_a(db):
    camera = make_camera()
    return Zone.objects.create(camera=camera, code="parking-row-A", capacity=10)


def push(client, event_type, moment=None, zone="parking-row-A"):
    body = simulator.region_event_xml(event_type, zone, "", moment)
    return client.post(
        WEBHOOK, body, content_type="application/xml", HTTP_X_FORWARDED_FOR="192.168.1.103"
    ).json()


@pytest.mark.django_db(transaction=True)
def test_push_is_answered_stored_and_counted_only_when_drained(client, queued, row_a):
    answer = push(client, "regionEntrance")

    assert answer["status"] == "accepted"
    event = CameraEvent.objects.get(pk=answer["event_id"])
    assert event.status == CameraEvent.Status.QUEUED
    assert event.partition == processing.partition_of(event)
    assert Zone.objects.get(pk=row_a.pk).current_count == 0

    assert processing.drain() == 1
    assert Zone.objects.get(pk=row_a.pk).current_count == 1
    assert CameraEvent.objects.get(pk=answer["event_id"]).status == CameraEvent.Status.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_drain_follows_arrival_order(client, queued, row_a):
    start = timezone.now() - timedelta(minutes=5)
    for n, kind in enumerate(["regionExiting", "regionEntrance", "regionEntrance", "regionExiting"]):
        push(client, kind, start + timedelta(seconds=n * 10))
    processing.drain()
    deltas = list(OccupancyChange.objects.order_by("id").values_list("delta", flat=True))
    # The first exit finds an empty zone (clamped), then +1 +1 -1.
    assert Zone.objects.get(pk=row_a.pk).current_count == 1
    assert deltas[-3:] == [1, 1, -1]


@pytest.mark.django_db(transaction=True)
def test_a_stored_push_wakes_a_worker_for_its_partition(client, queued, row_a, monkeypatch):
    from cameras import wakeups

    woken = []
    monkeypatch.setattr(wakeups, "wake", woken.append)
    answer = push(client, "regionEntrance")
    assert woken == [CameraEvent.objects.get(pk=answer["event_id"]).partition]


@pytest.mark.django_db(transaction=True)
def test_the_beat_sweep_wakes_every_partition_with_waiting_events(
    client, queued, row_a, settings, eager_celery, monkeypatch
):
    from cameras import wakeups

    monkeypatch.setattr(wakeups, "wake", lambda partition: None)  # the wake-up was lost
    settings.EVENT_QUEUE_SWEEP_SECONDS = 0
    for n in range(3):
        push(client, "regionEntrance", timezone.now() - timedelta(seconds=n * 5))
    assert CameraEvent.objects.queued().count() == 3

    assert drain_queued_events.run() == 1  # what the Celery beat sweep does
    # (a wake-up left over from an earlier test may hold the partition for a moment)
    assert wait_until(lambda: Zone.objects.get(pk=row_a.pk).current_count == 3, timeout=10)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_drainers_never_process_an_event_twice(client, queued, row_a, settings):
    settings.EVENT_BATCH_SIZE = 7
    start = timezone.now() - timedelta(hours=1)
    for n in range(40):
        push(client, "regionEntrance", start + timedelta(seconds=n * 3))
    connection.close()
    threads = [threading.Thread(target=_drain_then_close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert CameraEvent.objects.queued().count() == 0
    assert OccupancyChange.objects.filter(zone=row_a).count() == 40
    assert Zone.objects.get(pk=row_a.pk).current_count == 40


def _drain_then_close():
    try:
        processing.drain()
    finally:
        connection.close()
