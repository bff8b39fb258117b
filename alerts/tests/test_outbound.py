"""Nothing leaves the machine in development: webhooks and MQTT only to allowed networks."""

from __future__ import annotations

import pytest

from alerts.transports import TransportError, mqtt, webhook
from damanat.outbound import destination_allowed, in_networks


def test_loopback_is_allowed_and_names_and_lan_addresses_are_not(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    assert destination_allowed("127.0.0.1") and destination_allowed("localhost")
    assert not destination_allowed("192.168.1.50")
    assert not destination_allowed("receiver.example")
    assert in_networks("receiver.example", ["*"])


def test_a_webhook_to_a_forbidden_host_fails_permanently_without_sending(settings, monkeypatch):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    monkeypatch.setattr("requests.post", lambda *a, **k: pytest.fail("a request was sent"))
    with pytest.raises(TransportError) as refused:
        webhook.send(webhook.WebhookTarget(url="https://0.com/hook"), {"x": 1}, "id-1")
    assert refused.value.permanent


def test_an_mqtt_broker_outside_the_networks_is_refused(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with pytest.raises(TransportError) as refused:
        mqtt.send(mqtt.MqttTarget(host="10.0.0.9", topic="damanat/alerts/x"), {}, "id-2")
    assert refused.value.permanent
