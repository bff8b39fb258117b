"""The live feed: new and changed alerts reach a waiting staff page within two seconds."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import requests
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alerts.live import SETTLE
from alerts.models import Alert
from alerts.services import raise_alert


def raise_violation(zone, **kwargs):
    return raise_alert("violation", title="Vehicle in VIP restricted", zone=zone, camera=zone.camera,
                       **kwargs).alert


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
def test_a_waiting_client_gets_a_new_alert_within_two_seconds(live_server, restricted_zone, user_with):
    token = Token.objects.create(user=user_with("view_alert"))
    headers = {"Authorization": f"Token {token.key}"}
    cursor = requests.get(f"{live_server.url}/api/v1/alerts/live", headers=headers, timeout=5).json()["cursor"]
    raised_at = {}

    def raise_later():
        time.sleep(0.5)
        raised_at["t"] = time.monotonic()
        raise_violation(restricted_zone)

    thread = threading.Thread(target=raise_later)
    thread.start()
    response = requests.get(f"{live_server.url}/api/v1/alerts/live", params={"since": cursor, "wait": 10},
                            headers=headers, timeout=15)
    answered = time.monotonic()
    thread.join()
    [alert] = response.json()["alerts"]
    assert alert["kind"] == "violation" and alert["zone_code"] == "restricted-vip"
    assert answered - raised_at["t"] < 2.0


@pytest.mark.django_db(transaction=True)
def test_a_resolved_alert_shows_up_as_changed(live_server, restricted_zone, user_with):
    alert = raise_violation(restricted_zone)
    token = Token.objects.create(user=user_with("view_alert"))
    headers = {"Authorization": f"Token {token.key}"}
    time.sleep(SETTLE.total_seconds())
    cursor = requests.get(f"{live_server.url}/api/v1/alerts/live", headers=headers, timeout=5).json()["cursor"]
    alert.resolve(by=None, note="cleared")
    response = requests.get(f"{live_server.url}/api/v1/alerts/live", params={"since": cursor, "wait": 5},
                            headers=headers, timeout=10)
    [changed] = response.json()["alerts"]
    assert changed["id"] == alert.pk and changed["status"] == "resolved"


def test_event_stream_starts_with_the_active_alerts(restricted_zone, user_with):
    alert = raise_violation(restricted_zone)
    user = user_with("view_alert")

    async def first_event():
        client = AsyncClient()
        await client.aforce_login(user)
        response = await client.get("/api/v1/alerts/stream")
        chunk = await anext(aiter(response.streaming_content))
        await response.streaming_content.aclose()
        return response, chunk

    response, chunk = async_to_sync(first_event)()
    assert response["Content-Type"] == "text/event-stream"
    text = chunk.decode()
    assert text.startswith("id: ") and "event: alerts" in text and f'"id":{alert.pk}' in text.replace(" ", "")


def test_live_applies_the_list_filters(restricted_zone, zone_factory, user_with):
    raise_violation(restricted_zone)
    staff_zone = zone_factory("staff-only-area", "staff_only")
    intrusion = raise_alert("intrusion", title="Intrusion", zone=staff_zone, camera=staff_zone.camera).alert
    client = Client()
    client.force_login(user_with("view_alert"))
    body = client.get("/api/v1/alerts/live", {"kind": "intrusion"}).json()
    assert [a["id"] for a in body["alerts"]] == [intrusion.pk]
    assert client.get("/api/v1/alerts/live", {"kind": "nonsense"}).status_code == 400
