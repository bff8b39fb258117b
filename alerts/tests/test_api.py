"""The alerts API: lists and filters, lifecycle actions and their permissions, channels, deliveries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.models import Alert, Delivery, NotificationChannel
from alerts.services import raise_alert


@pytest.fixture
def violation(restricted_zone):
    return raise_alert(
        "violation",
        title="Vehicle in VIP restricted",
        zone=restricted_zone,
        camera=restricted_zone.camera,
        plate="ABC1234",
    ).alert


@pytest.fixture
def intrusion(zone_factory):
    zone = zone_factory("staff-only-area", "staff_only")
    return raise_alert(
        "intrusion", title="Intrusion in Staff only", zone=zone, camera=zone.camera, severity="high"
    ).alert


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_is_refused(violation):
    assert APIClient().get("/api/v1/alerts").status_code in (401, 403)


def test_without_view_permission_is_refused(violation, user_with):
    assert client_for(user_with()).get("/api/v1/alerts").status_code == 403


def test_violations_list_has_the_seed_fields(violation, intrusion, user_with):
    response = client_for(user_with("view_alert")).get("/api/v1/violations")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == violation.pk and row["alert_type"] == "violation"
    assert row["camera_id"] == "CAM-01" and row["zone_id"] == "restricted-vip"
    assert row["is_resolved"] == 0 and row["triggered_at"] and row["resolved_at"] is None


def test_intrusions_list_only_intrusions(violation, intrusion, user_with):
    rows = client_for(user_with("view_alert")).get("/api/v1/intrusions").json()["results"]
    assert [r["id"] for r in rows] == [intrusion.pk]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("kind=violation", ["violation"]),
        ("kind=violation&kind=intrusion", ["intrusion", "violation"]),
        ("severity=high", ["intrusion"]),
        ("zone=staff-only-area", ["intrusion"]),
        ("camera=cam-01", ["intrusion", "violation"]),
        ("status=open", ["intrusion", "violation"]),
        ("status=resolved", []),
        ("search=ABC12", ["violation"]),
        ("plate=abc", ["violation"]),
    ],
)
def test_alert_filters(violation, intrusion, user_with, query, expected):
    rows = client_for(user_with("view_alert")).get(f"/api/v1/alerts?{query}").json()["results"]
    assert sorted(r["kind"] for r in rows) == expected


def test_time_filters(violation, intrusion, user_with):
    Alert.objects.filter(pk=violation.pk).update(
        first_seen_at=timezone.now() - timedelta(days=2), last_seen_at=timezone.now() - timedelta(days=2)
    )
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    client = client_for(user_with("view_alert"))
    rows = client.get("/api/v1/alerts", {"since": since}).json()["results"]
    assert [r["id"] for r in rows] == [intrusion.pk]
    rows = client.get("/api/v1/alerts", {"until": since}).json()["results"]
    assert [r["id"] for r in rows] == [violation.pk]


def test_seed_resolve_with_put(violation, user_with):
    user = user_with("view_alert", "resolve_alert")
    response = client_for(user).put(
        f"/api/v1/violations/{violation.pk}/resolve", {"note": "towed"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "resolved" and body["is_resolved"] == 1 and body["resolved_by"] == "guard"
    assert body["resolution_note"] == "towed"
    assert [h["action"] for h in body["history"]] == ["opened", "resolved"]


def test_resolve_needs_the_resolve_permission(violation, user_with):
    response = client_for(user_with("view_alert", "acknowledge_alert")).post(
        f"/api/v1/alerts/{violation.pk}/resolve", {"note": "x"}, format="json"
    )
    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.status == "open"


@pytest.mark.parametrize(
    "path,perm,payload,expected_status",
    [
        ("acknowledge", "acknowledge_alert", {}, "acknowledged"),
        ("false-positive", "resolve_alert", {"note": "shadow"}, "false_positive"),
        ("resolve", "resolve_alert", {"note": "done"}, "resolved"),
    ],
)
def test_each_action_with_and_without_its_permission(
    violation, user_with, path, perm, payload, expected_status
):
    url = f"/api/v1/alerts/{violation.pk}/{path}"
    assert client_for(user_with("view_alert", username="nobody")).post(url, payload).status_code == 403
    response = client_for(user_with("view_alert", perm)).post(url, payload, format="json")
    assert response.status_code == 200 and response.json()["status"] == expected_status


def test_acknowledge_twice_is_a_conflict(violation, user_with):
    client = client_for(user_with("view_alert", "acknowledge_alert"))
    client.post(f"/api/v1/alerts/{violation.pk}/acknowledge")
    response = client.post(f"/api/v1/alerts/{violation.pk}/acknowledge")
    assert response.status_code == 409 and response.json()["status"] == "acknowledged"


def test_assign_and_comment(violation, user_with):
    officer = user_with(username="officer")
    client = client_for(user_with("view_alert", "assign_alert", "comment_alert"))
    response = client.post(f"/api/v1/alerts/{violation.pk}/assign", {"user_id": officer.pk}, format="json")
    assert response.status_code == 200 and response.json()["assigned_to"] == "officer"
    response = client.post(f"/api/v1/alerts/{violation.pk}/comment", {"text": "Patrol sent"}, format="json")
    assert response.status_code == 201
    history = client.get(f"/api/v1/alerts/{violation.pk}/history").json()
    assert [(h["action"], h["user"]) for h in history][-2:] == [("assigned", "guard"), ("commented", "guard")]
    assert history[-1]["text"] == "Patrol sent"


def test_comment_needs_its_permission(violation, user_with):
    response = client_for(user_with("view_alert")).post(
        f"/api/v1/alerts/{violation.pk}/comment", {"text": "x"}, format="json"
    )
    assert response.status_code == 403


def test_channels_api_hides_secrets_and_validates_kind_settings(user_with):
    client = client_for(user_with("view_notificationchannel", "add_notificationchannel"))
    response = client.post(
        "/api/v1/notification-channels", {"name": "hook", "kind": "webhook"}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()
    response = client.post(
        "/api/v1/notification-channels",
        {
            "name": "hook",
            "kind": "webhook",
            "url": "http://127.0.0.1:9/x",
            "secret": "topsecret",
            "alert_kinds": ["intrusion"],
        },
        format="json",
    )
    assert response.status_code == 201
    body = client.get("/api/v1/notification-channels").json()["results"][0]
    assert "secret" not in body and body["has_secret"] is True
    assert NotificationChannel.objects.get().secret == "topsecret"


def test_channel_test_action_sends_now(webhook_channel, receiver, user_with):
    client = client_for(user_with("change_notificationchannel"))
    response = client.post(f"/api/v1/notification-channels/{webhook_channel.pk}/test")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert receiver.requests[0].json["alert"]["title"] == "Damanat test message"


def test_replay_a_failed_delivery(violation, webhook_channel, user_with):
    delivery = Delivery.objects.create(
        alert=violation, channel=webhook_channel, status="failed", last_error="HTTP 500"
    )
    url = f"/api/v1/alert-deliveries/{delivery.pk}/replay"
    assert client_for(user_with("view_delivery", username="viewer")).post(url).status_code == 403
    response = client_for(user_with("view_delivery", "replay_delivery")).post(url)
    assert response.status_code == 200 and response.json()["status"] == "pending"
