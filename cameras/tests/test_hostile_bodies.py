"""Pushes a hostile sender crafts: stored and answered 200 rejected, never a 503 to retry."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest

from cameras.models import CameraEvent, EventPicture

from .conftest import WEBHOOK, multipart_type, payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_handlers", "at_fixture_day")]


def push(client, body: bytes, content_type: str, ip: str = "192.168.1.103"):
    return client.post(WEBHOOK, data=body, content_type=content_type, REMOTE_ADDR=ip)


NESTED_OBJECTS = b'{"eventType":"VMD","a":' + b'{"a":' * 500 + b"1" + b"}" * 500 + b"}"
NESTED_ARRAYS = b'{"eventType":"VMD","a":' + b"[" * 5000 + b"]" * 5000 + b"}"
NESTED_XML = (
    b"<EventNotificationAlert><eventType>VMD</eventType>"
    + b"<a>" * 1000
    + b"x"
    + b"</a>" * 1000
    + b"</EventNotificationAlert>"
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (NESTED_OBJECTS, "application/json"),
        (NESTED_ARRAYS, "application/json"),
        (NESTED_XML, "application/xml"),
    ],
)
def test_deeply_nested_push_is_stored_and_rejected_with_the_reason(client, camera, body, content_type):
    response = push(client, body, content_type)

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    event = CameraEvent.objects.get()
    assert event.status == CameraEvent.Status.REJECTED
    assert "nested deeper than" in event.reason
    assert bytes(event.raw_body) == body


def media_files(settings) -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_pictures_from_an_unapproved_sender_are_not_kept_only_their_size_and_hash(client, settings):
    body = payload("multipart_anpr_xml.bin")
    for _ in range(3):
        push(client, body, multipart_type("multipart_anpr_xml.bin"), ip="192.168.1.66")

    assert media_files(settings) == [] and not EventPicture.objects.exists()
    event = CameraEvent.objects.first()
    assert event.status == CameraEvent.Status.IGNORED
    dropped = event.extra["pictures_dropped"]
    assert dropped["reason"] == "sender not approved"
    assert [(p["size"] > 0, len(p["sha256"])) for p in dropped["pictures"]] == [(True, 64)] * 2


def test_an_approved_camera_keeps_its_pictures(client, camera, settings):
    push(client, payload("multipart_anpr_xml.bin"), multipart_type("multipart_anpr_xml.bin"))

    assert EventPicture.objects.count() == 2 and len(media_files(settings)) == 2


@pytest.fixture
def disk_full_on_second_picture(monkeypatch):
    from django.core.files.storage import FileSystemStorage

    real_save, calls = FileSystemStorage._save, []

    def save(storage, name, content):
        calls.append(name)
        if len(calls) < 2:
            return real_save(storage, name, content)
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:10])  # what a full disk leaves: the start of the file
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save)


def test_a_full_disk_keeps_the_event_without_pictures_flagged_and_no_partial_files(
    client, camera, settings, disk_full_on_second_picture
):
    response = push(client, payload("multipart_anpr_xml.bin"), multipart_type("multipart_anpr_xml.bin"))

    assert response.status_code == 200 and response.json()["status"] == "accepted"
    event = CameraEvent.objects.get()
    assert event.extra["pictures_dropped"]["reason"] == "not stored: No space left on device"
    assert len(event.extra["pictures_dropped"]["pictures"]) == 2
    assert not EventPicture.objects.exists()
    assert media_files(settings) == []


def push_chunked(client, body: bytes, content_type: str = "application/xml"):
    """As gunicorn hands a chunked body over: no Content-Length, the de-chunked stream."""
    return client.post(
        WEBHOOK,
        data=b"",
        content_type=content_type,
        REMOTE_ADDR="192.168.1.103",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(body)},
    )


def test_a_chunked_push_is_read_and_accepted(client, camera):
    body = payload("isapi_ver20_fielddetection.xml")

    response = push_chunked(client, body)

    assert response.json()["status"] == "accepted"
    assert bytes(CameraEvent.objects.get().raw_body) == body


def test_a_chunked_push_over_the_limit_is_413_not_read_whole(client, camera, settings):
    settings.EVENT_MAX_BODY_BYTES = 1000
    response = push_chunked(client, b"<EventNotificationAlert>" + b"x" * 50_000)

    assert response.status_code == 413
    assert CameraEvent.objects.get().status == CameraEvent.Status.REJECTED
