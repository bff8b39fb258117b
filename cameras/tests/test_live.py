"""End to end over a real HTTP server (pytest-django live_server): what a camera sees."""

from __future__ import annotations

import io

import pytest
import requests
from django.core.management import call_command
from django.db import OperationalError
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from cameras import demo
from cameras.models import Camera, CameraEvent, EventPicture

from .conftest import WEBHOOK, make_camera, multipart_type, payload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_handlers")]


@pytest.fixture
def url(live_server, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    return live_server.url + WEBHOOK


def post(url, body, content_type="application/xml", ip="192.168.1.103", **kwargs):
    return requests.post(
        url, data=body, timeout=30, headers={"Content-Type": content_type, "X-Forwarded-For": ip}, **kwargs
    )


def test_camera_push_over_http_is_stored_with_pictures(url):
    camera = make_camera()
    name = "multipart_anpr_xml.bin"
    response = post(url, payload(name), multipart_type(name))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted" and body["event_type"] == "ANPR"
    event = CameraEvent.objects.get(pk=body["event_id"])
    assert event.camera == camera
    assert event.plate == "KH35192"
    assert event.pictures.count() == 2
    # Fixture time 2026-02-20 is far from today: kept, flagged, receive time used.
    assert event.trigger_time_flagged


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<EventNotificationAlert><eventType>", "malformed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<EventNotificationAlert><eventType>&b;</eventType></EventNotificationAlert>",
            "DTDForbidden",
        ),
        (b"", "empty body"),
    ],
)
def test_bad_payload_over_http_is_200_rejected_and_stored(url, body, reason):
    make_camera()
    response = post(url, body)
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert reason in event.reason and event.status == CameraEvent.Status.REJECTED


def test_twenty_mib_over_http_is_413_and_first_kib_kept(url):
    make_camera()
    body = b"<EventNotificationAlert>" + b"A" * (20 * 1024 * 1024)
    response = post(url, body)
    assert response.status_code == 413
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert bytes(event.raw_body) == body[:1024]
    assert event.body_size == len(body)
    # The connection is still usable for the next push.
    assert post(url, payload("isapi_ver20_fielddetection.xml")).status_code == 200


def test_duplicate_over_http_answers_the_original_id(url):
    make_camera("CAM-ENTRY", "192.168.1.104")
    body = payload("hikvision_ver20_anpr_plate.xml")
    first = post(url, body, ip="192.168.1.104").json()
    second = post(url, body, ip="192.168.1.104").json()
    assert second["status"] == "duplicate" and second["event_id"] == first["event_id"]
    assert CameraEvent.objects.count() == 1


def test_unknown_sender_over_http_is_discovered(url):
    response = post(url, payload("isapi_ver20_fielddetection.xml"), ip="192.168.1.199")
    assert response.json()["status"] == "ignored"
    camera = Camera.objects.get(ip_address="192.168.1.199")
    assert camera.approval == Camera.Approval.DISCOVERED and not camera.enabled


def test_push_credentials_over_http_with_digest_and_basic(url):
    make_camera(push_username="pusher", push_password="S3cret-push-Pa55")
    body = payload("hikvision_ver20_region_entrance.xml")
    refused = post(url, body)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Digest ")
    digest = post(url, body, auth=HTTPDigestAuth("pusher", "S3cret-push-Pa55"))
    assert digest.status_code == 200 and digest.json()["status"] == "accepted"
    basic = post(
        url,
        body.replace(b"parking-row-A", b"parking-row-B"),
        auth=HTTPBasicAuth("pusher", "S3cret-push-Pa55"),
    )
    assert basic.status_code == 200 and basic.json()["status"] == "accepted"
    assert post(url, body, auth=HTTPDigestAuth("pusher", "wrong")).status_code == 401
    assert CameraEvent.objects.count() == 2


def test_database_refusing_the_write_over_http_is_503(url, monkeypatch):
    make_camera()

    def refuse(*args, **kwargs):
        raise OperationalError("the database system is in recovery mode")

    monkeypatch.setattr("cameras.event_rows._execute", refuse)
    response = post(url, payload("isapi_ver20_fielddetection.xml"))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["status"] == "error"
    assert CameraEvent.objects.count() == 0


def simulate(url, *args) -> str:
    out = io.StringIO()
    call_command("simulate_event", "--url", url, *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "code", "event_type", "field", "value", "pictures"),
    [
        (
            ["--event", "fielddetection", "--zone", "restricted-vip", "--ip", "192.168.1.101"],
            "CAM-01",
            "fielddetection",
            "region_id",
            "restricted-vip",
            0,
        ),
        (
            [
                "--event",
                "linedetection",
                "--zone",
                "emergency-exit",
                "--target",
                "human",
                "--ip",
                "192.168.1.102",
            ],
            "CAM-02",
            "linedetection",
            "detection_target",
            "human",
            0,
        ),
        (
            ["--event", "regionEntrance", "--zone", "parking-row-A", "--ip", "192.168.1.103"],
            "CAM-03",
            "regionEntrance",
            "region_id",
            "parking-row-A",
            0,
        ),
        (
            [
                "--event",
                "regionExiting",
                "--zone",
                "parking-row-A",
                "--ip",
                "192.168.1.103",
                "--with-picture",
            ],
            "CAM-03",
            "regionExiting",
            "region_id",
            "parking-row-A",
            1,
        ),
        (
            ["--event", "anpr", "--plate", "ABC-1234", "--ip", "192.168.1.104"],
            "CAM-ENTRY",
            "AccessControllerEvent",
            "plate",
            "ABC-1234",
            0,
        ),
        (
            ["--event", "anpr", "--plate", "XYZ-9876", "--ip", "192.168.1.105", "--format", "xml"],
            "CAM-EXIT",
            "ANPR",
            "plate",
            "XYZ-9876",
            0,
        ),
        (
            ["--event", "anpr", "--plate", "KSA-1111", "--ip", "192.168.1.104", "--with-picture"],
            "CAM-ENTRY",
            "AccessControllerEvent",
            "plate",
            "KSA-1111",
            1,
        ),
        (
            [
                "--event",
                "anpr",
                "--plate",
                "unknown",
                "--ip",
                "192.168.1.105",
                "--format",
                "xml",
                "--with-picture",
            ],
            "CAM-EXIT",
            "ANPR",
            "plate",
            "",
            1,
        ),
    ],
)
def test_simulate_event_against_a_live_server(url, args, code, event_type, field, value, pictures):
    demo.load(io.StringIO())
    output = simulate(url, *args)
    assert "HTTP 200" in output and '"status":"accepted"' in output
    event = CameraEvent.objects.get()
    assert event.camera.code == code
    assert event.event_type == event_type
    assert getattr(event, field) == value
    assert not event.trigger_time_flagged
    assert EventPicture.objects.filter(event=event).count() == pictures


def test_simulate_event_reports_an_unreachable_backend():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot reach"):
        simulate("http://127.0.0.1:9/api/v1/events/camera")
