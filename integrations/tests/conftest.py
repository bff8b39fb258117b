from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cameras.models import Camera
from damanat.live_layer import channel_layers
from parking.models import Zone

INTEGRATOR_PERMS = [
    "cameras.add_camera", "cameras.change_camera", "cameras.view_camera", "cameras.delete_camera",
    "cameras.view_cameraevent", "cameras.add_cameraevent",
    "parking.add_zone", "parking.change_zone", "parking.view_zone", "parking.delete_zone",
    *[f"integrations.{verb}_{model}" for verb in ("add", "change", "view", "delete")
      for model in ("aimodelconfig", "sensorsetting", "exporter", "exportrecord")],
]


def user_with(username: str, perms: list[str]) -> User:
    user = User.objects.create_user(username)  # no password: hashing is slow
    for name in perms:
        app, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return user


@pytest.fixture
def integrator(db) -> User:
    return user_with("integrator", INTEGRATOR_PERMS)


@pytest.fixture
def integrator_token(integrator) -> str:
    return Token.objects.create(user=integrator).key


@pytest.fixture
def api(integrator) -> APIClient:
    client = APIClient()
    client.force_authenticate(integrator)
    return client


@pytest.fixture
def outsider_api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(user_with("outsider", []))
    return client


@pytest.fixture
def entry_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-ENTRY", name="Entry gate", ip_address="192.168.1.104",
                                 role=Camera.Role.ENTRY_GATE)


@pytest.fixture
def exit_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-EXIT", name="Exit gate", ip_address="192.168.1.105",
                                 role=Camera.Role.EXIT_GATE)


@pytest.fixture
def indoor_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-02", name="Covered parking", ip_address="192.168.1.102",
                                 role=Camera.Role.INDOOR)


@pytest.fixture
def zone(indoor_camera) -> Zone:
    return Zone.objects.create(camera=indoor_camera, code="1", name="Covered A", capacity=20)


class AsgiServer:
    """The real ASGI app (HTTP and WebSocket) served by uvicorn on 127.0.0.1, in a thread."""

    def __init__(self):
        import uvicorn

        from damanat.asgi import application

        config = uvicorn.Config(application, host="127.0.0.1", port=0, log_level="warning",
                                lifespan="off", ws_ping_interval=None, timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> AsgiServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.http = f"http://127.0.0.1:{port}"
        self.ws = f"ws://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture
def asgi_server(transactional_db):
    # Server threads close their connections after each request, so the test database can be dropped.
    database = connections.settings["default"]
    kept, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    with AsgiServer() as server:
        yield server
    database["CONN_MAX_AGE"] = kept


@pytest.fixture
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def redis_layer(settings, redis_url):
    settings.CHANNEL_LAYERS = channel_layers(redis_url)


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An integrator's webhook on 127.0.0.1 answering with scripted status codes."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    arrived: threading.Event = field(default_factory=threading.Event)

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            self.arrived.wait(0.02)
            self.arrived.clear()
        return len(self.requests) >= count


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(state.delay)
            status = state.statuses.pop(0) if state.statuses else 200
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            state.arrived.set()
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"no")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/damanat"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def queued_exports(monkeypatch) -> list[tuple[int, float | None]]:
    """Export tasks queued (record id, countdown) instead of going to a broker."""
    from integrations.tasks import export_record

    queued: list[tuple[int, float | None]] = []
    monkeypatch.setattr(export_record, "apply_async",
                        lambda args, countdown=None, **kw: queued.append((args[0], countdown)))
    return queued
