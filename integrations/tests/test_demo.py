from __future__ import annotations

import io

from django.core.management import call_command

from integrations.models import AIModelConfig, Exporter, SensorSetting
from parking.models import Zone


def test_demo_is_idempotent_and_gives_the_edge_sensor_a_token(db):
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", password="demo-pass-1", stdout=first)
    call_command("load_demo", password="demo-pass-1", stdout=second)

    assert (AIModelConfig.objects.count(), SensorSetting.objects.count(), Exporter.objects.count()) == (
        3,
        4,
        1,
    )
    assert Zone.objects.get(camera__code="CAM-03", code="zone-A").geometry["type"] == "Polygon"
    token = first.getvalue().split("edge sensor token ")[1].split()[0]
    assert token in second.getvalue()
