"""Each transport against a real local receiver: HTTP server, Mosquitto, Django's locmem mail."""

from __future__ import annotations

import json
import threading
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import pytest
from django.core import mail

from alerts import fanout
from alerts.models import Delivery, NotificationChannel
from alerts.services import raise_alert
from alerts.tests.conftest import SECRET
from alerts.transports import Destination, TransportError, email, transport_for, webhook
from alerts.transports.mqtt import MqttTarget
from alerts.transports.mqtt import send as mqtt_send


def test_webhook_send_signs_the_body_and_carries_the_event_id(receiver):
    target = webhook.WebhookTarget(url=receiver.url, secret=SECRET, bearer_token="tok")
    result = webhook.send(target, {"plate": "ABC1234", "n": 1}, event_id="evt-1")
    [request] = receiver.requests
    assert result.status_code == 200
    assert request.signed_with(SECRET) and not request.signed_with("other-secret")
    assert request.headers["X-Damanat-Event-Id"] == "evt-1"
    assert request.headers["Authorization"] == "Bearer tok"
    assert request.json == {"plate": "ABC1234", "n": 1}


@pytest.mark.parametrize(
    "status,permanent", [(500, False), (503, False), (429, False), (400, True), (404, True), (410, True)]
)
def test_webhook_classifies_answers(receiver, status, permanent):
    receiver.statuses = [status]
    with pytest.raises(TransportError) as caught:
        webhook.send(webhook.WebhookTarget(url=receiver.url), {}, "e")
    assert caught.value.permanent is permanent and caught.value.status_code == status


def test_webhook_rejects_a_non_http_url_permanently():
    with pytest.raises(TransportError) as caught:
        webhook.send(webhook.WebhookTarget(url="ftp://127.0.0.1/x"), {}, "e")
    assert caught.value.permanent


@pytest.fixture
def email_channel(db):
    return NotificationChannel.objects.create(
        name="Security office",
        kind="email",
        language="en",
        recipients="guard@example.test, chief@example.test",
    )


def test_email_delivery_has_text_and_html_bodies(restricted_zone, email_channel, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    raise_alert(
        "violation",
        title="Vehicle in VIP restricted",
        zone=restricted_zone,
        plate="XYZ987",
        camera=restricted_zone.camera,
        severity="high",
    )
    assert fanout.deliver(Delivery.objects.get().pk) == "sent"
    [message] = mail.outbox
    assert message.to == ["guard@example.test", "chief@example.test"]
    assert message.subject == "[High] Violation: Vehicle in VIP restricted"
    assert "XYZ987" in message.body and "VIP restricted" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'dir="ltr"' in html and "XYZ987" in html


def test_email_is_written_in_the_recipients_language(restricted_zone, email_channel, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_channel.language = "ar"
    email_channel.save()
    raise_alert(
        "intrusion",
        title="Intrusion",
        zone=restricted_zone,
        camera=restricted_zone.camera,
        severity="critical",
    )
    fanout.deliver(Delivery.objects.get().pk)
    [message] = mail.outbox
    assert "تسلل" in message.subject and "حرج" in message.subject
    assert 'dir="rtl"' in message.alternatives[0][0] and 'lang="ar"' in message.alternatives[0][0]
    assert "المنطقة" in message.body


def test_email_without_recipients_fails_permanently():
    with pytest.raises(TransportError) as caught:
        email.send(email.EmailTarget(recipients=()), {}, "e")
    assert caught.value.permanent


@pytest.fixture
def subscriber(mqtt_url):
    """A real MQTT client subscribed to damanat-test/#, collecting messages."""
    url = urlparse(mqtt_url)
    messages, ready = [], threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="alerts-test-subscriber")
    client.on_connect = lambda c, *a: c.subscribe("damanat-test/#", qos=1)
    client.on_subscribe = lambda *a: ready.set()
    client.on_message = lambda c, u, m: messages.append(m)
    client.connect(url.hostname, url.port or 1883)
    client.loop_start()
    assert ready.wait(5)
    yield messages
    client.disconnect()
    client.loop_stop()


def wait_for(messages: list, count: int, timeout: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while len(messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return len(messages) >= count


@pytest.mark.mqtt
def test_mqtt_delivery_publishes_to_the_kind_topic_with_qos_1(restricted_zone, subscriber, mqtt_url):
    url = urlparse(mqtt_url)
    NotificationChannel.objects.create(
        name="Broker",
        kind="mqtt",
        mqtt_host=url.hostname,
        mqtt_port=url.port or 1883,
        mqtt_topic_prefix="damanat-test/alerts",
    )
    alert = raise_alert(
        "intrusion",
        title="Intrusion in Staff only",
        zone=restricted_zone,
        camera=restricted_zone.camera,
        severity="high",
    ).alert
    assert fanout.deliver(Delivery.objects.get().pk) == "sent"
    assert wait_for(subscriber, 1)
    [message] = subscriber
    assert message.topic == "damanat-test/alerts/intrusion" and message.qos == 1
    assert json.loads(message.payload)["alert"]["id"] == alert.pk


@pytest.mark.mqtt
def test_mqtt_unreachable_broker_is_transient():
    with pytest.raises(TransportError) as caught:
        mqtt_send(MqttTarget(host="127.0.0.1", port=9, topic="t", timeout=1), {}, "e")
    assert not caught.value.permanent


def test_each_transport_builds_its_target_from_a_destination():
    destination = Destination(
        url="mqtt://[fd00::5]:8883",
        topic_prefix="site/alerts/",
        username="u",
        password="p",
        timeout=3,
        recipients=("a@example.test",),
        language="ar",
    )
    assert transport_for("mqtt").target(destination, "intrusion") == MqttTarget(
        host="fd00::5", port=8883, topic="site/alerts/intrusion", username="u", password="p", timeout=3
    )
    assert transport_for("email").target(destination, "intrusion") == email.EmailTarget(
        recipients=("a@example.test",), language="ar"
    )
    signed = Destination(url="http://10.0.0.5/hook", secret="s", bearer_token="t", basic_auth=("u", "p"))
    assert transport_for("webhook").target(signed, "plate_read") == webhook.WebhookTarget(
        url="http://10.0.0.5/hook", secret="s", bearer_token="t", basic_auth=("u", "p")
    )


def test_a_bad_broker_port_or_an_unknown_kind_is_permanent():
    for build in (
        lambda: transport_for("mqtt").target(Destination(url="mqtt://10.0.0.5:99999"), "x"),
        lambda: transport_for("pager"),
    ):
        with pytest.raises(TransportError) as caught:
            build()
        assert caught.value.permanent


def test_a_channel_names_its_broker_as_a_url_the_mqtt_transport_reads():
    channel = NotificationChannel(kind="mqtt", mqtt_host="fd00::7", mqtt_port=1884, mqtt_topic_prefix="a")
    target = transport_for("mqtt").target(channel.destination(), "crime")
    assert (target.host, target.port, target.topic) == ("fd00::7", 1884, "a/crime")
