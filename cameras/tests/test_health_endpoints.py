"""Health, liveness and readiness: open without login, stored state only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cameras.models import Camera
from damanat.celery import app as celery_app

from .conftest import make_camera

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    keys = ("broker_url", "broker_write_url", "broker_transport_options")
    saved = {key: celery_app.conf.get(key) for key in keys}
    celery_app.conf.update(
        broker_url="redis://127.0.0.1:1/0",
        broker_write_url=None,
        broker_transport_options={"socket_connect_timeout": 0.2},
    )
    yield
    celery_app.conf.update(saved)


def test_health_reports_database_broker_and_camera_last_seen(client):
    now = timezone.now()
    make_camera("CAM-01", "192.168.1.101", last_seen_at=now - timedelta(seconds=30))
    make_camera("CAM-02", "192.168.1.102", last_seen_at=now - timedelta(hours=1))
    make_camera("CAM-03", "192.168.1.103")
    make_camera("NEW-10.0.0.9", "10.0.0.9", enabled=False, approval=Camera.Approval.DISCOVERED)
    for path in ("/api/v1/health", "/health"):
        body = client.get(path).json()
        assert body["database"] == "ok"
        assert body["broker"] == "ok"
        assert body["status"] == "ok"
        cameras = body["cameras"]
        assert set(cameras) == {"CAM-01", "CAM-02", "CAM-03"}
        assert cameras["CAM-01"]["status"] == "online"
        assert cameras["CAM-02"]["status"] == "silent"
        assert cameras["CAM-03"] == {"status": "never_seen", "last_seen": None, "health": "unknown"}


@pytest.mark.parametrize("path", ["/api/v1/health/live", "/liveness"])
def test_liveness(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


@pytest.mark.parametrize("path", ["/api/v1/health/ready", "/ready"])
def test_readiness(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "broker": "ok"}


def test_broker_down_is_reported_not_hidden(client, broker_down):
    ready = client.get("/api/v1/health/ready")
    assert ready.status_code == 503
    assert ready.json()["broker"].startswith("error")
    health = client.get("/api/v1/health").json()
    assert health["status"] == "degraded"
    assert health["database"] == "ok"


def test_health_makes_no_call_to_cameras(client, monkeypatch):
    import socket

    make_camera()
    opened = []
    real = socket.create_connection
    monkeypatch.setattr(
        socket, "create_connection", lambda address, *a, **k: opened.append(address) or real(address, *a, **k)
    )
    client.get("/api/v1/health")
    assert not any(host.startswith("192.168.") for host, _ in opened)
