"""Seed 001's orchestrator probes: /health, /ready and /liveness, open to the cluster without a login."""

from __future__ import annotations

import pytest

from cameras.models import Camera
from operations import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry_camera(db) -> Camera:
    return Camera.objects.create(
        code="CAM-ENTRY", name="Entry gate", ip_address="192.168.1.104", role=Camera.Role.ENTRY_GATE
    )


def test_probes_answer_without_login(client, entry_camera):
    status = client.get("/health").json()
    ready = client.get("/ready")
    live = client.get("/liveness")

    assert status["database"] == "ok" and status["stream"] == "ok"
    assert status["cameras"]["CAM-ENTRY"]["status"] == "never_seen"
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert live.json() == {"status": "alive"}


def test_not_ready_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "database_status", lambda: "error: OperationalError")

    ready = client.get("/ready")

    assert ready.status_code == 503 and ready.json()["status"] == "not_ready"
    assert client.get("/health").json()["status"] == "degraded"
    assert client.get("/liveness").status_code == 200


def test_health_degraded_when_the_stream_layer_is_unreachable(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }

    status = client.get("/health").json()

    assert status["status"] == "degraded" and status["stream"].startswith("error")
