"""Which camera sent a push: X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

import pytest

from cameras.models import Camera, CameraEvent
from damanat.proxies import client_address

from .conftest import WEBHOOK, payload

pytestmark = [pytest.mark.usefixtures("no_handlers", "at_fixture_day")]


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("192.168.1.103", "", ["127.0.0.1"], "192.168.1.103"),
        ("192.168.1.50", "192.168.1.103", ["127.0.0.1"], "192.168.1.50"),  # untrusted sender
        ("127.0.0.1", "192.168.1.103", ["127.0.0.1"], "192.168.1.103"),
        ("127.0.0.1", "192.168.1.103", [], "127.0.0.1"),  # production default
        ("127.0.0.1", "6.6.6.6, 192.168.1.103", ["127.0.0.1"], "192.168.1.103"),  # spoofed first hop
        ("10.0.0.5", "192.168.1.103, 10.0.0.9", ["10.0.0.5", "10.0.0.9"], "192.168.1.103"),  # chain
        ("10.0.0.5", "not-an-ip", ["10.0.0.5"], "10.0.0.5"),
        ("::ffff:192.168.1.103", "", [], "192.168.1.103"),  # dual-stack listener
        ("::1", "192.168.1.104", ["::1"], "192.168.1.104"),
        ("", "", [], None),
        ("127.0.0.1", "192.168.1.103", ["localhost", "127.0.0.1"], "192.168.1.103"),  # typo ignored
    ],
)
def test_client_address(settings, remote, forwarded, proxies, expected):
    settings.TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta) == expected


@pytest.mark.parametrize(("allow_networks", "expected"), [(False, "127.0.0.5"), (True, "8.8.8.8")])
def test_a_network_of_proxies_is_believed_only_when_the_operator_says_so(settings, allow_networks, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.0/24"]
    settings.TRUSTED_PROXY_NETWORKS = allow_networks
    meta = {"REMOTE_ADDR": "127.0.0.5", "HTTP_X_FORWARDED_FOR": "8.8.8.8, 127.0.0.3"}
    assert client_address(meta) == expected


@pytest.mark.django_db
def test_a_camera_inside_a_proxy_network_cannot_create_another_camera(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "127.0.0.0/24"]
    client.post(
        WEBHOOK,
        data=payload("isapi_ver20_fielddetection.xml"),
        content_type="application/xml",
        REMOTE_ADDR="127.0.0.3",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 127.0.0.3",
    )
    assert list(Camera.objects.values_list("ip_address", flat=True)) == ["127.0.0.3"]


@pytest.mark.django_db
def test_forwarded_for_from_an_untrusted_sender_does_not_impersonate_a_camera(client, camera, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.post(
        WEBHOOK,
        data=payload("isapi_ver20_fielddetection.xml"),
        content_type="application/xml",
        REMOTE_ADDR="192.168.1.66",
        HTTP_X_FORWARDED_FOR="192.168.1.103",
    )
    assert response.json()["status"] == "ignored"
    event = CameraEvent.objects.get()
    assert event.source_ip == "192.168.1.66"
    assert event.camera.approval == Camera.Approval.DISCOVERED
    assert event.headers["HTTP_X_FORWARDED_FOR"] == "192.168.1.103"


@pytest.mark.django_db
def test_forwarded_for_from_a_trusted_proxy_names_the_camera(client, camera, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.post(
        WEBHOOK,
        data=payload("isapi_ver20_fielddetection.xml"),
        content_type="application/xml",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.168.1.103",
    )
    assert response.json()["status"] == "accepted"
    assert CameraEvent.objects.get().camera == camera
