"""The live feed: new and changed alerts reach a waiting staff page within two seconds."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alerts.live import SETTLE
from alerts.models import Alert
from alerts.services import raise_alert


def raise_violation(zone, **kwargs):
    return raise_alert(
        "violation", title="Vehicle in VIP restricted", zone=zone, camera=zone.camera, **kwargs
    ).alert


def test_live_needs_login_and_view_permission(user_with):
    assert Client().get("/api/v1/alerts/live").status_code == 401
    client = Client()
    client.force_login(user_with())
    assert client.get("/api/v1/alerts/live").status_code == 403


def test_without_cursor_answers_the_active_alerts_at_once(restricted_zone, user_with):
    open_alert = raise_violation(restricted_zone)
    closed = raise_violation(restricted_zone, group_key="other")
    closed.resolve(by=None, note="gone")
    client = Client()
    client.force_login(user_with("view_alert"))
    body = client.get("/api/v1/alerts/live").json()
    assert [a["id"] for a in body["alerts"]] == [open_alert.pk]
    assert body["cursor"]


def test_changes_after_the_cursor_are_returned(restricted_zone, user_with):
    alert = raise_violation(restricted_zone)
    cursor = (timezone.now() - timedelta(seconds=5)).isoformat()
    Alert.objects.filter(pk=alert.pk).update(updated_at=timezone.now() - SETTLE * 2)
    client = Client()
    client.force_login(user_with("view_alert"))
    body = client.get("/api/v1/alerts/live", {"since": cursor, "wait": 0}).json()
    assert [a["id"] for a in body["alerts"]] == [alert.pk]
    again = client.get("/api/v1/alerts/live", {"since": body["cursor"], "wait": 0}).json()
    assert again["alerts"] == []


def test_bad_cursor_is_a_400(user_with):
    client = Client()
    client.force_login(user_with("view_alert"))
    assert client.get("/api/v1/alerts/live", {"since": "yesterday"}).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_no_request_waits_for_alerts_on_a_web_thread(live_server, restricted_zone, user_with):
    """Live changes come over the WebSocket stream; the JSON feed answers at once, wait or not."""
    token = Token.objects.create(user=user_with("view_alert"))
    headers = {"Authorization": f"Token {token.key}"}
    cursor = requests.get(f"{live_server.url}/api/v1/alerts/live", headers=headers, timeout=5).json()[
        "cursor"
    ]
    started = time.monotonic()
    response = requests.get(
        f"{live_server.url}/api/v1/alerts/live",
        params={"since": cursor, "wait": 10},
        headers=headers,
        timeout=15,
    )
    assert response.json()["alerts"] == [] and time.monotonic() - started < 2
    assert (
        requests.get(f"{live_server.url}/api/v1/alerts/stream", headers=headers, timeout=5).status_code == 404
    )


@pytest.mark.django_db(transaction=True)
def test_a_resolved_alert_shows_up_as_changed(live_server, restricted_zone, user_with):
    alert = raise_violation(restricted_zone)
    token = Token.objects.create(user=user_with("view_alert"))
    headers = {"Authorization": f"Token {token.key}"}
    time.sleep(SETTLE.total_seconds())
    cursor = requests.get(f"{live_server.url}/api/v1/alerts/live", headers=headers, timeout=5).json()[
        "cursor"
    ]
    alert.resolve(by=None, note="cleared")
    time.sleep(SETTLE.total_seconds() * 2)
    response = requests.get(
        f"{live_server.url}/api/v1/alerts/live", params={"since": cursor}, headers=headers, timeout=10
    )
    [changed] = response.json()["alerts"]
    assert changed["id"] == alert.pk and changed["status"] == "resolved"


def test_live_applies_the_list_filters(restricted_zone, zone_factory, user_with):
    raise_violation(restricted_zone)
    staff_zone = zone_factory("staff-only-area", "staff_only")
    intrusion = raise_alert("intrusion", title="Intrusion", zone=staff_zone, camera=staff_zone.camera).alert
    client = Client()
    client.force_login(user_with("view_alert"))
    body = client.get("/api/v1/alerts/live", {"kind": "intrusion"}).json()
    assert [a["id"] for a in body["alerts"]] == [intrusion.pk]
    assert client.get("/api/v1/alerts/live", {"kind": "nonsense"}).status_code == 400
