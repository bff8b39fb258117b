"""Admin for security staff: search, bulk actions with a note, history, channels, replay."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from alerts.models import Alert, Delivery
from alerts.services import raise_alert


@pytest.fixture
def alerts(restricted_zone):
    return [
        raise_alert(
            "violation",
            title=f"Vehicle {n}",
            zone=restricted_zone,
            camera=restricted_zone.camera,
            plate=f"ABC{n}",
            group_key=f"g{n}",
        ).alert
        for n in range(3)
    ]


def staff(user_with, *perms, username="guard"):
    user = user_with(*perms, username=username)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_changelist_searches_by_plate_and_filters(admin_client, alerts):
    response = admin_client.get("/admin/alerts/alert/", {"q": "ABC1"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [alerts[1]]
    response = admin_client.get("/admin/alerts/alert/", {"status__exact": "resolved"})
    assert list(response.context["cl"].result_list) == []


def test_bulk_resolve_asks_for_a_note_then_applies_it(admin_client, alerts):
    selected = [str(a.pk) for a in alerts[:2]]
    page = admin_client.post(
        "/admin/alerts/alert/", {"action": "resolve_selected", ACTION_CHECKBOX_NAME: selected}
    )
    assert page.status_code == 200 and b'name="note"' in page.content
    assert Alert.objects.filter(status="resolved").count() == 0
    response = admin_client.post(
        "/admin/alerts/alert/",
        {
            "action": "resolve_selected",
            "apply": "1",
            "note": "Owner moved the car",
            ACTION_CHECKBOX_NAME: selected,
        },
    )
    assert response.status_code == 302
    resolved = Alert.objects.filter(status="resolved")
    assert {a.pk for a in resolved} == {alerts[0].pk, alerts[1].pk}
    assert all(a.resolution_note == "Owner moved the car" for a in resolved)


def test_bulk_action_skips_alerts_whose_status_does_not_allow_it(admin_client, alerts):
    alerts[0].acknowledge(by=None)
    admin_client.post(
        "/admin/alerts/alert/",
        {
            "action": "acknowledge_selected",
            "apply": "1",
            "note": "",
            ACTION_CHECKBOX_NAME: [str(a.pk) for a in alerts],
        },
    )
    assert Alert.objects.filter(status="acknowledged").count() == 3
    assert alerts[0].history.filter(action="acknowledged").count() == 1


def test_bulk_actions_need_their_permissions(user_with, alerts):
    client = staff(user_with, "view_alert", "acknowledge_alert")
    actions = client.get("/admin/alerts/alert/").context["action_form"].fields["action"].choices
    names = {name for name, _label in actions}
    assert "acknowledge_selected" in names and "resolve_selected" not in names


def test_alert_page_shows_history_and_takes_comments(user_with, alerts):
    alert = alerts[0]
    alert.acknowledge(by=None, note="on it")
    client = staff(user_with, "view_alert", "comment_alert")
    page = client.get(f"/admin/alerts/alert/{alert.pk}/change/")
    assert page.status_code == 200 and b"on it" in page.content
    prefix = "history"
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-text": "Patrol sent",
        f"{prefix}-0-alert": str(alert.pk),
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/alerts/alert/{alert.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    comment = alert.history.get(action="commented")
    assert comment.text == "Patrol sent" and comment.user.username == "guard"


def test_channel_disabled_by_failure_is_shown(admin_client, webhook_channel):
    webhook_channel.disable_for_failure("HTTP 401: unauthorised")
    page = admin_client.get("/admin/alerts/notificationchannel/")
    assert b"Disabled by failure" in page.content and b"HTTP 401" in page.content
    assert (
        b"test-signing-secret"
        not in admin_client.get(f"/admin/alerts/notificationchannel/{webhook_channel.pk}/change/").content
    )


def test_replay_from_the_admin(admin_client, alerts, webhook_channel):
    delivery = Delivery.objects.create(
        alert=alerts[0], channel=webhook_channel, status="failed", last_error="HTTP 500"
    )
    response = admin_client.post(
        "/admin/alerts/delivery/", {"action": "replay_selected", ACTION_CHECKBOX_NAME: [str(delivery.pk)]}
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 0


def test_admin_pages_load(admin_client, alerts, webhook_channel):
    delivery = Delivery.objects.create(alert=alerts[0], channel=webhook_channel)
    for url in [
        "/admin/alerts/alert/",
        f"/admin/alerts/alert/{alerts[0].pk}/change/",
        "/admin/alerts/notificationchannel/add/",
        "/admin/alerts/delivery/",
        f"/admin/alerts/delivery/{delivery.pk}/change/",
    ]:
        assert admin_client.get(url).status_code == 200, url
