"""No admin page shows a stored secret, to any role: "set / not set", and a way to replace it."""

from __future__ import annotations

import pytest

from alerts.models import NotificationChannel
from cameras.models import Camera
from integrations.models import Exporter

pytestmark = pytest.mark.django_db

CAMERA_PASSWORD = "Cam-Pa55-visible"
PUSH_PASSWORD = "Push-Pa55-seen"
SIGNING = "hmac-signing-key-123"
BEARER = "bearer-token-456"
MQTT = "mqtt-pass-789"
EXPORT_SECRET = "export-secret-abc"


@pytest.fixture
def secrets():
    camera = Camera.objects.create(
        code="CAM-01",
        ip_address="192.168.1.101",
        username="admin",
        password=CAMERA_PASSWORD,
        push_username="pusher",
        push_password=PUSH_PASSWORD,
    )
    channel = NotificationChannel.objects.create(
        name="ops",
        kind="webhook",
        url="http://127.0.0.1:1/",
        secret=SIGNING,
        bearer_token=BEARER,
        mqtt_password=MQTT,
    )
    exporter = Exporter.objects.create(
        name="bus",
        transport="webhook",
        url="http://127.0.0.1:1/",
        auth="bearer",
        secret=EXPORT_SECRET,
        event_kinds=["plate"],
    )
    return {
        f"/admin/cameras/camera/{camera.pk}/change/": (CAMERA_PASSWORD, PUSH_PASSWORD),
        f"/admin/alerts/notificationchannel/{channel.pk}/change/": (SIGNING, BEARER, MQTT),
        f"/admin/integrations/exporter/{exporter.pk}/change/": (EXPORT_SECRET,),
    }


@pytest.mark.parametrize("who", ["guard", "manager", "administrator"])
def test_no_role_sees_a_stored_secret(request, client_for, secrets, who):
    client = client_for(request.getfixturevalue(who))
    for url, stored in secrets.items():
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200, url
        html = page.content.decode()
        for secret in stored:
            assert secret not in html, (who, url)


@pytest.mark.parametrize("who", ["guard", "manager"])
def test_view_only_roles_are_told_whether_a_secret_is_set(request, client_for, secrets, who):
    camera = Camera.objects.get()
    camera.push_password = ""
    camera.save()

    page = client_for(request.getfixturevalue(who)).get(
        f"/admin/cameras/camera/{camera.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )

    fields = {
        line.field["name"]: line.contents()
        for fieldset in page.context["adminform"]
        for row in fieldset
        for line in row
    }
    assert fields["password_state"] == "set"
    assert fields["push_password_state"] == "not set"


def test_the_state_is_translated(client_for, guard, secrets):
    camera = Camera.objects.get()
    page = client_for(guard).get(f"/admin/cameras/camera/{camera.pk}/change/", HTTP_ACCEPT_LANGUAGE="ar")
    assert "محدد" in page.content.decode()


def test_an_administrator_sees_the_state_and_may_replace_the_secret(client_for, administrator, secrets):
    channel = NotificationChannel.objects.get()
    url = f"/admin/alerts/notificationchannel/{channel.pk}/change/"
    page = client_for(administrator).get(url, HTTP_ACCEPT_LANGUAGE="en")

    form = page.context["adminform"].form
    assert str(form.fields["secret"].help_text).startswith("Currently: set.")
    assert 'type="password"' in str(form["secret"])
