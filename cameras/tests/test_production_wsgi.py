"""The production WSGI entry point over real HTTP: camera pushes through the whole stack."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests

from cameras.models import CameraEvent, EventPicture

from .conftest import WEBHOOK, make_camera, multipart_type, payload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_handlers")]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def production_url(settings):
    from damanat.wsgi import application

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    server = make_server(
        "127.0.0.1", 0, application, server_class=ThreadingServer, handler_class=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def post(url, body, content_type="application/xml"):
    return requests.post(
        url + WEBHOOK,
        data=body,
        timeout=30,
        headers={"Content-Type": content_type, "X-Forwarded-For": "192.168.1.103"},
    )


def test_push_with_pictures_is_stored_through_the_production_app(production_url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    camera = make_camera()
    name = "multipart_anpr_xml.bin"
    response = post(production_url, payload(name), multipart_type(name))
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "accepted" and answer["event_type"] == "ANPR"
    event = CameraEvent.objects.get(pk=answer["event_id"])
    assert event.camera == camera and event.plate == "KH35192"
    pictures = EventPicture.objects.filter(event=event)
    assert pictures.count() == 2
    assert all((tmp_path / picture.image.name).read_bytes()[:2] == b"\xff\xd8" for picture in pictures)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers  # a camera never gets a session


def test_resent_push_is_answered_duplicate_with_the_original_id(production_url):
    make_camera()
    body = payload("isapi_ver20_fielddetection.xml")
    first = post(production_url, body).json()
    second = post(production_url, body).json()
    assert first["status"] == "accepted"
    assert second["status"] == "duplicate" and second["event_id"] == first["event_id"]
    assert CameraEvent.objects.count() == 1


def test_staff_endpoints_keep_their_protection(production_url):
    listing = requests.get(production_url + "/api/v1/events", timeout=30)
    assert listing.status_code in (401, 403)
    assert listing.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # A GET on the webhook is an ordinary 405.
    wrong_method = requests.get(production_url + WEBHOOK, timeout=30)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.postgres
def test_production_gunicorn_stores_a_push(settings, tmp_path):
    """damanat/gunicorn.py as docker compose runs it, on the test database."""
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    make_camera()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "TRUSTED_PROXIES": "127.0.0.1",
        "MEDIA_ROOT": str(tmp_path),
        "EVENT_PROCESSING": "queued",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "python:damanat.gunicorn", "damanat.wsgi:application"],
        cwd=settings.BASE_DIR,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(url + "/liveness", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        answer = post(url, payload("isapi_ver20_fielddetection.xml")).json()
    finally:
        server.terminate()
        server.wait(10)
    assert answer["status"] == "accepted"
    event = CameraEvent.objects.get(pk=answer["event_id"])
    assert event.status == CameraEvent.Status.QUEUED and event.event_type == "fielddetection"
