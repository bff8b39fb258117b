"""Pictures sent by URL are fetched from the camera itself, only when the camera says so."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cameras import simulator
from cameras.models import Camera, CameraEvent, EventPicture
from cameras.tasks import fetch_event_pictures

from .conftest import WEBHOOK

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture_server():
    requested = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            self.wfile.write(simulator.TINY_JPEG)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], requested
    server.shutdown()


def push_with_url(client, url):
    body = json.loads(simulator.access_controller_json("ABC1234"))
    body["AccessControllerEvent"]["pictureURL"] = url
    return client.post(
        WEBHOOK, json.dumps(body), content_type="application/json", HTTP_X_FORWARDED_FOR="127.0.0.1"
    ).json()


def test_picture_by_url_is_fetched_and_fingerprinted(
    client, picture_server, django_capture_on_commit_callbacks
):
    port, requested = picture_server
    Camera.objects.create(
        code="CAM-ENTRY",
        ip_address="127.0.0.1",
        http_port=port,
        role=Camera.Role.ENTRY_GATE,
        fetch_pictures_by_url=True,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        answer = push_with_url(client, f"http://127.0.0.1:{port}/ISAPI_FILES/snap.jpg?id=7")
    assert callbacks, "a fetch is queued after the commit"

    assert fetch_event_pictures(answer["event_id"]) == 1
    picture = EventPicture.objects.get(event_id=answer["event_id"])
    assert requested == ["/ISAPI_FILES/snap.jpg?id=7"]
    assert picture.sha256 == hashlib.sha256(simulator.TINY_JPEG).hexdigest()


def test_urls_on_another_host_and_cameras_without_the_option_fetch_nothing(client, picture_server):
    port, requested = picture_server
    camera = Camera.objects.create(
        code="CAM-ENTRY",
        ip_address="127.0.0.1",
        http_port=port,
        role=Camera.Role.ENTRY_GATE,
        fetch_pictures_by_url=True,
    )
    answer = push_with_url(client, f"http://127.0.0.2:{port}/elsewhere.jpg")
    assert fetch_event_pictures(answer["event_id"]) == 0

    Camera.objects.filter(pk=camera.pk).update(fetch_pictures_by_url=False)
    answer = push_with_url(client, f"http://127.0.0.1:{port}/snap.jpg")
    assert CameraEvent.objects.get(pk=answer["event_id"]).extra["picture_urls"]
    assert requested == []
