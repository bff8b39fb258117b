"""Concurrent pushes on real PostgreSQL through a real HTTP server."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from cameras.models import Camera, CameraEvent
from cameras.simulator import region_event_xml

from .conftest import WEBHOOK, make_camera, payload

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_handlers"),
]


@pytest.fixture
def url(live_server, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    return live_server.url + WEBHOOK


def post(url, body, ip):
    return requests.post(
        url, data=body, timeout=30, headers={"Content-Type": "application/xml", "X-Forwarded-For": ip}
    )


def test_the_same_push_sent_in_parallel_is_stored_once(url):
    make_camera("CAM-ENTRY", "192.168.1.104")
    body = payload("hikvision_ver20_anpr_plate.xml")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: post(url, body, "192.168.1.104"), range(16)))
    assert {a.status_code for a in answers} == {200}
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["accepted"] + ["duplicate"] * 15
    assert CameraEvent.objects.count() == 1
    assert {a.json()["event_id"] for a in answers} == {CameraEvent.objects.get().pk}


def test_an_unknown_sender_pushing_in_parallel_is_discovered_once(url):
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda i: post(url, region_event_xml("regionEntrance", f"r{i}"), "10.7.7.7"), range(12))
        )
    assert {a.status_code for a in answers} == {200}
    assert {a.json()["status"] for a in answers} == {"ignored"}
    assert Camera.objects.filter(ip_address="10.7.7.7").count() == 1
    assert CameraEvent.objects.filter(camera__ip_address="10.7.7.7").count() == 12


def test_distinct_pushes_in_parallel_are_all_stored(url):
    make_camera()
    bodies = [
        region_event_xml("regionEntrance" if i % 2 else "regionExiting", f"zone-{i % 5}") for i in range(40)
    ]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda b: post(url, b, "192.168.1.103"), bodies))
    accepted = [a.json()["event_id"] for a in answers if a.json()["status"] == "accepted"]
    assert len(accepted) == 40
    assert CameraEvent.objects.filter(pk__in=accepted).count() == 40
