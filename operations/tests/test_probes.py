from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_cameras_without_login(client):
    from cameras.models import Camera

    Camera.objects.create(code="CAM-01", ip_address="192.168.1.101")
    answer = client.get("/api/v1/health").json()
    assert answer["database"] == "ok"
    assert answer["cameras"]["CAM-01"]["status"] == "never_seen"


def test_liveness_and_orchestrator_aliases_answer(client):
    assert client.get("/api/v1/health/live").json() == {"status": "alive"}
    assert client.get("/liveness").status_code == 200


def test_event_log_needs_login(client):
    assert client.get("/api/v1/events").status_code in (401, 403)
