"""gunicorn as production runs it: clients that stall mid-body do not keep the web threads."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from damanat.testing import free_port, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def web_with_two_threads():
    port = free_port()
    env = {
        **os.environ,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "WEB_BODY_READ_SECONDS": "1",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "python:damanat.gunicorn", "damanat.wsgi:application"],
        cwd=settings.BASE_DIR,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: _answers(url), timeout=30)
    yield port, url
    server.terminate()
    server.wait(10)


def _answers(url: str, timeout: float = 1) -> bool:
    try:
        return requests.get(url + "/liveness", timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def stalled_upload(port: int, path: str) -> socket.socket:
    """Headers announce 100 KB, ten bytes arrive, then nothing."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\n"
        "Content-Length: 100000\r\n\r\n<EventNoti".encode()
    )
    return sock


def test_stalled_bodies_are_answered_and_the_threads_serve_others_again(web_with_two_threads):
    """Without a deadline the two threads wait for these bodies forever and /liveness never answers."""
    port, url = web_with_two_threads
    stalled = [
        stalled_upload(port, path)
        for path in ("/api/v1/events/camera", "/api/v1/events/camera", "/login/", "/api/v1/events/ingest")
    ]
    try:
        started = time.monotonic()
        assert _answers(url, timeout=10)
        assert time.monotonic() - started < 10
        answers = []
        for sock in stalled:
            sock.settimeout(10)
            answers.append(sock.recv(200).split(b"\r\n")[0])
        # The webhook's 503 makes the camera send again; other views answer 400 (401/403 unsigned in).
        assert answers[:2] == [b"HTTP/1.1 503 Service Unavailable"] * 2
        assert all(a.startswith((b"HTTP/1.1 400", b"HTTP/1.1 401", b"HTTP/1.1 403")) for a in answers[2:]), (
            answers
        )
    finally:
        for sock in stalled:
            sock.close()
