"""A production install never loads the demo's made-up cameras where it would call them."""
from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cameras.models import Camera

pytestmark = pytest.mark.django_db
PRODUCTION_LAN = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8"]


def test_load_demo_is_refused_when_the_lan_is_allowed_and_keeps_nothing(settings, monkeypatch):
    from cameras import demo

    settings.ISAPI_ALLOWED_NETWORKS = PRODUCTION_LAN
    # Whatever addresses the demo ships, one made-up LAN address is enough to be refused.
    monkeypatch.setattr(demo, "SEED_CAMERAS", [{**demo.SEED_CAMERAS[0], "ip_address": "192.168.1.101"},
                                               *demo.SEED_CAMERAS[1:]])
    with pytest.raises(CommandError, match="ISAPI_ALLOWED_NETWORKS"):
        call_command("load_demo", password="demo-pass-1", stdout=io.StringIO())
    assert not Camera.objects.exists()


def test_load_demo_works_where_only_loopback_is_called(settings):
    settings.ISAPI_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    call_command("load_demo", password="demo-pass-1", stdout=io.StringIO())
    assert Camera.objects.count() >= 5
