from __future__ import annotations

import pytest

from cameras.models import Camera

pytestmark = pytest.mark.django_db


def test_metrics_from_loopback_show_camera_state(client):
    Camera.objects.create(code="CAM-01", ip_address="192.168.1.101")
    body = client.get("/metrics").content.decode()
    assert 'damanat_cameras{state="offline"} 1.0' in body
    assert "damanat_events_received" in body


def metric(client, line_start: str) -> float:
    for line in client.get("/metrics").content.decode().splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_camera_pushes_and_alerts_are_counted(client, settings):
    from alerts.services import raise_alert

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    Camera.objects.create(code="CAM-03", ip_address="192.168.1.103")
    accepted = 'damanat_events_received_total{event_type="fielddetection",status="accepted"}'
    rejected = 'damanat_events_received_total{event_type="other",status="rejected"}'
    before = metric(client, accepted), metric(client, rejected)
    body = (
        b"<EventNotificationAlert><eventType>fielddetection</eventType>"
        b"<eventState>active</eventState><UUID>metrics-1</UUID></EventNotificationAlert>"
    )
    for payload in (body, b"<EventNotificationAlert>"):
        client.post(
            "/api/v1/events/camera",
            payload,
            content_type="application/xml",
            HTTP_X_FORWARDED_FOR="192.168.1.103",
        )
    assert metric(client, accepted) == before[0] + 1
    assert metric(client, rejected) == before[1] + 1
    assert metric(client, "damanat_event_processing_seconds_count") >= 2
    opened = 'damanat_alerts_raised_total{kind="intrusion",severity="high"}'
    alerts_before = metric(client, opened)
    raise_alert("intrusion", title="Intrusion", severity="high")
    assert metric(client, opened) == alerts_before + 1


def test_metrics_refuse_other_networks_without_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-token"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer scrape-token")
    assert ok.status_code == 200


def test_html_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy.replace("https", "")
