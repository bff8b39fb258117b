"""EVENT_PROCESSING=queued: the camera's answer follows the INSERT; handlers run just after."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone

from cameras import processing, simulator
from cameras.models import CameraEvent
from cameras.tasks import drain_queued_events
from parking.models import OccupancyChange, Zone

from .conftest import WEBHOOK, make_camera


@pytest.fixture
def queued(settings):
    settings.EVENT_PROCESSING = "queued"


@pytest.fixture
def row_a(db):
    camera = make_camera()
    return Zone.objects.create(camera=camera, code="parking-row-A", capacity=10)


def push(client, event_type, moment=None, zone="parking-row-A"):
    body = simulator.region_event_xml(event_type, zone, "", moment)
    return client.post(WEBHOOK, body, content_type="application/xml",
                       HTTP_X_FORWARDED_FOR="192.168.1.103").json()


@pytest.mark.django_db(transaction=True)
def test_push_is_answered_stored_and_counted_only_when_drained(client, queued, row_a):
    answer = push(client, "regionEntrance")

    assert answer["status"] == "accepted"
    assert CameraEvent.objects.get(pk=answer["event_id"]).status == CameraEvent.Status.QUEUED
    assert Zone.objects.get(pk=row_a.pk).current_count == 0

    assert processing.drain() == 1
    assert Zone.objects.get(pk=row_a.pk).current_count == 1
    assert CameraEvent.objects.get(pk=answer["event_id"]).status == CameraEvent.Status.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_a_stop_request_ends_the_drain_after_the_event_in_hand(client, queued, row_a):
    """SIGTERM to the processor (docker compose stop) must not wait for the whole backlog."""
    start = timezone.now() - timedelta(minutes=5)
    for n in range(6):
        push(client, "regionEntrance", start + timedelta(seconds=n))
    asked = iter([False, False, False, True])

    assert processing.drain(stop=lambda: next(asked)) == 2
    assert CameraEvent.objects.queued().count() == 4
    assert Zone.objects.get(pk=row_a.pk).current_count == 2
    assert processing.drain() == 4


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
def test_the_beat_sweep_drains_when_no_processor_runs(client, queued, row_a):
    for n in range(3):
        push(client, "regionEntrance", timezone.now() - timedelta(seconds=n * 5))
    assert CameraEvent.objects.queued().count() == 3

    drain_queued_events.run()  # what the Celery beat sweep does
    assert Zone.objects.get(pk=row_a.pk).current_count == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_drainers_never_process_an_event_twice(client, queued, row_a):
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
        processing.drain(batch_size=7)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_processor_handles_a_push_within_a_second_without_any_broker(live_server, queued, row_a):
    processor = threading.Thread(target=_run_processor, daemon=True)
    processor.start()
    time.sleep(0.5)  # LISTEN is in place
    body = simulator.region_event_xml("regionEntrance", "parking-row-A", "")
    answer = requests.post(live_server.url + WEBHOOK, data=body, timeout=5,
                           headers={"Content-Type": "application/xml",
                                    "X-Forwarded-For": "192.168.1.103"}).json()
    assert answer["status"] == "accepted"
    started = time.monotonic()
    while time.monotonic() - started < 1.0 and Zone.objects.get(pk=row_a.pk).current_count == 0:
        time.sleep(0.02)
    assert Zone.objects.get(pk=row_a.pk).current_count == 1
    _stop_processor.set()
    processor.join(10)


_stop_processor = threading.Event()


def _run_processor():
    listener = processing.open_listener()
    try:
        while not _stop_processor.is_set():
            processing.drain()
            processing.wait_for_pushes(listener, 0.5)
    finally:
        listener.close()
        connection.close()
