"""Cameras are called only inside ISAPI_ALLOWED_NETWORKS: the demo's LAN addresses stay silent."""

from __future__ import annotations

import pytest
import requests

from cameras.isapi import errors
from cameras.isapi.client import BaseClient


def test_an_address_outside_the_allowed_networks_is_never_contacted(settings, monkeypatch):
    settings.ISAPI_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    sent = []
    monkeypatch.setattr(requests.Session, "request", lambda *a, **k: sent.append(a))
    client = BaseClient("192.168.1.101", username="admin", password="pw")
    with pytest.raises(errors.AddressNotAllowed) as refused:
        client.request("GET", "/ISAPI/System/deviceInfo")
    assert sent == []
    assert refused.value.status_label == "not_allowed"
    assert "pw" not in str(refused.value)


def test_production_networks_cover_the_facility_lan(settings, fake_camera):
    settings.ISAPI_ALLOWED_NETWORKS = ["192.168.0.0/16", "127.0.0.0/8"]
    with BaseClient(
        "127.0.0.1", port=fake_camera.port, username=fake_camera.username, password=fake_camera.password
    ) as client:
        assert client.request("GET", "/ISAPI/System/deviceInfo").status_code == 200
