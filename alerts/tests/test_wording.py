"""An alert is worded from its kind and parameters in the reader's language, everywhere it is read."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.utils import translation

from alerts import fanout
from alerts.choices import ChannelKind
from alerts.models import Alert, Delivery, NotificationChannel
from alerts.services import raise_alert
from alerts.wording import each_language
from cameras.models import Camera
from parking.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def vip_alert():
    camera = Camera.objects.create(code="CAM-01", ip_address="127.0.0.21")
    zone = Zone.objects.create(
        camera=camera,
        code="restricted-vip",
        name="VIP restricted",
        name_ar="منطقة كبار الزوار المقيدة",
        kind=Zone.Kind.RESTRICTED,
    )
    return raise_alert(
        Alert.Kind.VIOLATION,
        camera=camera,
        zone=zone,
        group_key="w1",
        params={
            "topic": "vehicle_in_zone",
            "zone": each_language(lambda: str(zone)),
            "camera": "CAM-01",
            "event": "fielddetection",
            "target": "vehicle",
            "also": ["intrusion_in_zone"],
        },
    ).alert


def test_the_title_follows_the_readers_language(vip_alert):
    with translation.override("ar"):
        assert vip_alert.shown_title == "مركبة في منطقة كبار الزوار المقيدة"
        assert "كشف التسلل" in vip_alert.shown_description and "تسلل في" in vip_alert.shown_description
    with translation.override("en"):
        assert vip_alert.shown_title == "Vehicle in VIP restricted"
        assert vip_alert.shown_description == (
            "Intrusion detection from CAM-01 in VIP restricted, target "
            "vehicle Also: Intrusion in VIP restricted."
        )
    assert Alert.objects.get().title == "Vehicle in VIP restricted"  # stored in English, for search


def test_the_api_answers_in_the_accept_language(client, vip_alert, django_user_model):
    user = django_user_model.objects.create_superuser("api", password="x-long-password-1")
    client.force_login(user)
    rows = client.get("/api/v1/alerts", HTTP_ACCEPT_LANGUAGE="ar").json()
    row = (rows["results"] if isinstance(rows, dict) else rows)[0]
    assert (
        row["title"] == "مركبة في منطقة كبار الزوار المقيدة" and row["params"]["topic"] == "vehicle_in_zone"
    )


def test_the_webhook_payload_carries_both_languages(vip_alert):
    payload = json.loads(json.dumps(fanout.alert_payload(vip_alert, "alert.created", "e1"), default=str))
    text = payload["alert"]["text"]
    assert text["ar"]["title"] == "مركبة في منطقة كبار الزوار المقيدة"
    assert text["en"]["title"] == "Vehicle in VIP restricted"


def test_the_email_is_in_the_channels_language(vip_alert, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    channel = NotificationChannel.objects.create(
        name="office", kind=ChannelKind.EMAIL, language="ar", recipients="office@damanat.local"
    )
    fanout.send_to_channel(channel, Delivery(alert=vip_alert, channel=channel))
    message = mail.outbox[-1]
    assert "مركبة في منطقة كبار الزوار المقيدة" in message.subject
    assert "Vehicle in" not in message.body


def test_the_console_and_the_admin_show_the_readers_title(client, vip_alert, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-long-password-1"))
    assert (
        "مركبة في منطقة كبار الزوار المقيدة"
        in client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    )
    admin = client.get("/admin/alerts/alert/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'field-heading"><a href="/admin/alerts/alert/' in admin
    assert admin.split('field-heading">')[1].split("</a>")[0].endswith("مركبة في منطقة كبار الزوار المقيدة")


def test_an_alert_raised_with_a_title_keeps_it(db):
    alert = raise_alert(Alert.Kind.VIOLATION, title="Written by hand", group_key="w2").alert
    with translation.override("ar"):
        assert alert.shown_title == "Written by hand"
