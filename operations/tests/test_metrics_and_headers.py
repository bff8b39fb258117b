from __future__ import annotations

import pytest

from cameras.models import Camera

pytestmark = pytest.mark.django_db


def test_metrics_from_loopback_show_camera_state(client):
    Camera.objects.create(code="CAM-01", ip_address="192.168.1.101")
    body = client.get("/metrics").content.decode()
    assert 'damanat_cameras{state="offline"} 1.0' in body
    assert "damanat_events_received" in body


def test_metrics_refuse_other_networks_without_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-token"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer scrape-token")
    assert ok.status_code == 200


def test_html_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy.replace("https", "")
