"""The demo site has activity up to now at any hour: today's figures and charts are never empty."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from parking.history import history
from parking.models import Zone

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
RIYADH = ZoneInfo("Asia/Riyadh")


@pytest.mark.parametrize("clock", ["00:04", "13:00"])
def test_the_demo_has_today_at_any_hour(client, monkeypatch, clock):
    hour, minute = map(int, clock.split(":"))
    now = datetime.now(RIYADH).replace(hour=hour, minute=minute, second=0, microsecond=0) - timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: now)
    call_command("load_demo", password="demo-admin-password-1", stdout=open("/dev/null", "w"))

    client.force_login(User.objects.get(username="manager"))
    traffic = client.get("/", HTTP_ACCEPT_LANGUAGE="en").context["traffic"]
    assert traffic["entries"] >= 1 and traffic["exits"] >= 1 and traffic["inside"] >= 1
    zone = Zone.objects.get(code="parking-row-A")
    midnight = now.replace(hour=0, minute=0)
    assert history(zone=zone, since=midnight, until=now + timedelta(minutes=1))  # today's chart
    assert len(history(zone=zone, since=now - timedelta(days=7), until=now)) > 600  # and the week's
