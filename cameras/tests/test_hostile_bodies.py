"""Pushes a hostile sender crafts: stored and answered 200 rejected, never a 503 to retry."""
from __future__ import annotations

import pytest

from cameras.models import CameraEvent

from .conftest import WEBHOOK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_handlers", "at_fixture_day")]


def push(client, body: bytes, content_type: str, ip: str = "192.168.1.103"):
    return client.post(WEBHOOK, data=body, content_type=content_type, REMOTE_ADDR=ip)


NESTED_OBJECTS = b'{"eventType":"VMD","a":' + b'{"a":' * 500 + b"1" + b"}" * 500 + b"}"
NESTED_ARRAYS = b'{"eventType":"VMD","a":' + b"[" * 5000 + b"]" * 5000 + b"}"
NESTED_XML = (b"<EventNotificationAlert><eventType>VMD</eventType>" + b"<a>" * 1000 + b"x"
              + b"</a>" * 1000 + b"</EventNotificationAlert>")


@pytest.mark.parametrize(("body", "content_type"), [
    (NESTED_OBJECTS, "application/json"),
    (NESTED_ARRAYS, "application/json"),
    (NESTED_XML, "application/xml"),
])
def test_deeply_nested_push_is_stored_and_rejected_with_the_reason(client, camera, body, content_type):
    response = push(client, body, content_type)

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    event = CameraEvent.objects.get()
    assert event.status == CameraEvent.Status.REJECTED
    assert "nested deeper than" in event.reason
    assert bytes(event.raw_body) == body
