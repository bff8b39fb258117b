from __future__ import annotations

import io

from alerts import demo
from alerts.models import Alert, NotificationChannel
from cameras import demo as camera_demo
from parking import demo as parking_demo


def test_demo_is_idempotent_and_sends_nothing(db):
    out = io.StringIO()
    camera_demo.load(out)
    parking_demo.load(out)
    demo.load(out)
    demo.load(out)
    assert NotificationChannel.objects.count() == 3
    assert not NotificationChannel.objects.usable().exists()
    samples = Alert.objects.filter(group_key__startswith="demo|")
    assert (
        samples.count() == 3 and samples.filter(zone__code="emergency-exit", status="acknowledged").exists()
    )
