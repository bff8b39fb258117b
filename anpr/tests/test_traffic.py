"""The demo's simulated traffic goes through the real webhook to passages, visits and counts."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from anpr import traffic
from anpr.models import GatePassage, Vehicle, Visit
from cameras import demo as camera_demo
from cameras.models import Camera
from parking.models import Zone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_gates_and_row():
    camera_demo.load(io.StringIO())
    Vehicle.objects.create(plate="ABJ1234", owner_name="Khalid", category="employee")
    Zone.objects.create(camera=Camera.objects.get(code="CAM-03"), code="parking-row-A", capacity=10)


def test_simulated_cars_arrive_leave_and_are_counted(live_server, demo_gates_and_row):
    out = io.StringIO()
    sent = traffic.run(f"{live_server.url}/api/v1/events/camera", every=0, count=30, out=out, seed=3)

    assert sent == 30 and "HTTP 200" in out.getvalue() and "HTTP 4" not in out.getvalue()
    assert (
        GatePassage.objects.filter(gate="entry").exists() and GatePassage.objects.filter(gate="exit").exists()
    )
    assert Visit.objects.filter(status=Visit.Status.CLOSED).exists()
    assert Zone.objects.get(code="parking-row-A").changes.exists()


def test_it_only_sends_to_this_machine(demo_gates_and_row):
    with pytest.raises(CommandError, match="this machine only"):
        call_command("simulate_traffic", url="http://192.0.2.7/api/v1/events/camera", count=1)
