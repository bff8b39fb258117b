"""The demo's cameras never point a production install at the seed's LAN addresses."""

from __future__ import annotations

import ipaddress
from io import StringIO

import pytest
from django.core.management import call_command

from cameras import demo
from cameras.models import Camera

pytestmark = pytest.mark.django_db

# damanat/settings.py's default for DJANGO_DEBUG=false
PRODUCTION_ALLOW_LIST = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "fc00::/7",
    "::1/128",
]


def test_production_loads_the_demo_with_loopback_cameras_only(settings):
    settings.DEBUG = False
    settings.ISAPI_ALLOWED_NETWORKS = PRODUCTION_ALLOW_LIST
    Camera.objects.create(code="CAM-01", ip_address="192.168.1.101")  # an earlier demo load
    out = StringIO()

    call_command("load_demo", password="demo-pass-1", stdout=out)

    addresses = list(Camera.objects.values_list("ip_address", flat=True))
    assert len(addresses) == 5 and all(ipaddress.ip_address(a).is_loopback for a in addresses)
    assert "on loopback addresses" in out.getvalue()


def test_development_keeps_the_seed_addresses_which_it_never_calls(settings):
    settings.ISAPI_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    demo.load(StringIO())

    assert Camera.objects.get(code="CAM-01").ip_address == "192.168.1.101"
