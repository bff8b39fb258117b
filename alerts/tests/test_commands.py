from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from alerts.models import NotificationChannel


def test_send_test_notification_reaches_the_receiver(webhook_channel, receiver):
    out = io.StringIO()
    call_command("send_test_notification", stdout=out)
    assert "Guard console hook: delivered" in out.getvalue()
    assert receiver.requests[0].json["alert"]["title"] == "Damanat test message"


def test_send_test_notification_fails_loudly(db):
    NotificationChannel.objects.create(name="down", kind="webhook", url="http://127.0.0.1:9/x")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("send_test_notification", "down", stdout=out)
    assert "down: transient failure" in out.getvalue()
