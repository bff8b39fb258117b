"""Exports through a real Celery worker on Redis, and an MQTT exporter against a real broker."""

from __future__ import annotations

import json
import threading
import time
import uuid
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
import pytest
from django.db import transaction

from damanat.testing import wait_until
from integrations import exporting
from integrations.bus import queue_exports
from integrations.models import Exporter, ExportRecord


@pytest.mark.redis
@pytest.mark.postgres  # a worker thread and the test share the database: SQLite's in-memory one locks
@pytest.mark.django_db(transaction=True)
def test_worker_retries_a_failing_receiver_and_exports_once(celery_worker_on_redis, receiver):
    receiver.statuses = [503]
    Exporter.objects.create(
        name="Data lake", url=receiver.url, event_kinds=["plate_read"], backoff_seconds=0.2, max_attempts=3
    )

    with transaction.atomic():
        [record_id] = queue_exports("plate_read", "41", {"id": 41, "plate": "RUH1234"})

    assert wait_until(lambda: ExportRecord.objects.get(pk=record_id).status == "exported")
    record = ExportRecord.objects.get(pk=record_id)
    assert record.attempts == 2 and [r.json["data"]["plate"] for r in receiver.requests] == ["RUH1234"] * 2
    time.sleep(0.3)
    assert len(receiver.requests) == 2


@pytest.mark.mqtt
def test_mqtt_exporter_publishes_to_the_kind_topic(db, mqtt_url):
    address = urlsplit(mqtt_url)
    prefix = f"damanat-test/{uuid.uuid4().hex[:8]}"
    exporter = Exporter.objects.create(
        name="BMS",
        transport=Exporter.Transport.MQTT,
        url=mqtt_url,
        topic=prefix,
        event_kinds=["plate_read"],
        timeout_seconds=3,
    )
    received: list[tuple[str, dict]] = []
    subscribed, arrived = threading.Event(), threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_subscribe = lambda *args: subscribed.set()
    client.on_message = lambda c, u, msg: (
        received.append((msg.topic, json.loads(msg.payload))),
        arrived.set(),
    )
    client.connect(address.hostname, address.port or 1883)
    client.subscribe(f"{prefix}/#", qos=1)
    client.loop_start()
    try:
        assert subscribed.wait(3)
        [record_id] = queue_exports("plate_read", "7", {"id": 7, "plate": "DMM777"})
        outcome = exporting.export(record_id)
        assert arrived.wait(3)
    finally:
        client.loop_stop()
        client.disconnect()

    assert outcome == "exported"
    assert received == [
        (
            f"{prefix}/plate_read",
            {"kind": "plate_read", "exporter": exporter.name, "data": {"id": 7, "plate": "DMM777"}},
        )
    ]
