from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alerts.tests.receiver import running_receiver
from cameras.models import Camera
from damanat.live_layer import channel_layers
from parking.models import Zone

INTEGRATOR_PERMS = [
    "cameras.add_camera",
    "cameras.change_camera",
    "cameras.view_camera",
    "cameras.delete_camera",
    "cameras.view_cameraevent",
    "cameras.add_cameraevent",
    "parking.add_zone",
    "parking.change_zone",
    "parking.view_zone",
    "parking.delete_zone",
    *[
        f"integrations.{verb}_{model}"
        for verb in ("add", "change", "view", "delete")
        for model in ("aimodelconfig", "sensorsetting", "exporter", "exportrecord")
    ],
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
    return Camera.objects.create(
        code="CAM-ENTRY", name="Entry gate", ip_address="192.168.1.104", role=Camera.Role.ENTRY_GATE
    )


@pytest.fixture
def exit_camera(db) -> Camera:
    return Camera.objects.create(
        code="CAM-EXIT", name="Exit gate", ip_address="192.168.1.105", role=Camera.Role.EXIT_GATE
    )


@pytest.fixture
def indoor_camera(db) -> Camera:
    return Camera.objects.create(
        code="CAM-02", name="Covered parking", ip_address="192.168.1.102", role=Camera.Role.INDOOR
    )


@pytest.fixture
def zone(indoor_camera) -> Zone:
    return Zone.objects.create(camera=indoor_camera, code="1", name="Covered A", capacity=20)


class AsgiServer:
    """The real ASGI app (HTTP and WebSocket) served by uvicorn on 127.0.0.1, in a thread."""

    def __init__(self):
        import uvicorn

        from damanat.asgi import application

        config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            ws_ping_interval=None,
            timeout_graceful_shutdown=1,
        )
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


@pytest.fixture
def receiver():
    with running_receiver("/hooks/damanat") as state:
        yield state


@pytest.fixture
def queued_exports(monkeypatch) -> list[tuple[int, float | None]]:
    """Export tasks queued (record id, countdown) instead of going to a broker."""
    from integrations.tasks import export_record

    queued: list[tuple[int, float | None]] = []
    monkeypatch.setattr(
        export_record, "apply_async", lambda args, countdown=None, **kw: queued.append((args[0], countdown))
    )
    return queued
