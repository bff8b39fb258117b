"""Fixtures for alert tests: cameras and zones, a real local webhook receiver, staff users."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from alerts.fanout import breaker
from alerts.models import NotificationChannel
from alerts.transports.webhook import verify
from cameras.models import Camera
from damanat.testing import use_celery_broker
from parking.models import Zone

SECRET = "test-signing-secret"


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        return verify(secret, self.body, self.headers.get("X-Damanat-Signature", ""))


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 answering with a scripted list of status codes."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    arrived: threading.Event = field(default_factory=threading.Event)

    def next_status(self) -> int:
        return self.statuses.pop(0) if self.statuses else 200

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        import time
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            self.arrived.wait(0.05)
            self.arrived.clear()
        return len(self.requests) >= count


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            import time
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if state.delay:
                time.sleep(state.delay)
            status = state.next_status()
            state.requests.append(Received(dict(self.headers.items()), body))
            state.arrived.set()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"nope")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/alerts"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    breaker.reset()
    yield
    breaker.reset()


@pytest.fixture
def camera(db):
    return Camera.objects.create(code="CAM-01", name="Perimeter", ip_address="192.168.1.101",
                                 role=Camera.Role.PERIMETER)


@pytest.fixture
def zone_factory(camera):
    def make(code: str, kind: str, **fields) -> Zone:
        return Zone.objects.create(camera=camera, code=code, name=fields.pop("name", code), kind=kind,
                                   counted_targets=fields.pop("counted_targets", ["vehicle"]), **fields)
    return make


@pytest.fixture
def restricted_zone(zone_factory):
    return zone_factory("restricted-vip", Zone.Kind.RESTRICTED, name="VIP restricted")


@pytest.fixture
def webhook_channel(db, receiver):
    return NotificationChannel.objects.create(name="Guard console hook", kind="webhook",
                                              url=receiver.url, secret=SECRET, timeout_seconds=2)


@pytest.fixture
def user_with(db):
    """A staff user holding exactly the given alerts permissions (codenames)."""
    def make(*codenames: str, username: str = "guard"):
        user = get_user_model().objects.create_user(username=username)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="alerts",
                                                            codename__in=codenames))
        return get_user_model().objects.get(pk=user.pk)
    return make


def use_broker(url: str) -> None:
    """Point the Celery app at another broker; fail fast when it is down."""
    use_celery_broker(url, {"max_retries": 1, "socket_connect_timeout": 1, "socket_timeout": 2})


@pytest.fixture(autouse=True)
def _tasks_go_to_test_redis(redis_url):
    """Tasks queued by tests go to this team's Redis database, never to the dev filesystem broker."""
    from damanat.celery import app

    original = (app.conf.broker_url, app.conf.broker_transport_options)
    use_broker(redis_url)
    yield
    use_broker(original[0])
    app.conf.broker_transport_options = original[1]
