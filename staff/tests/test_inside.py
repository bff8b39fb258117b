"""Who is inside now: open visits with plate, category, time in and duration, filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cameras.models import Camera
from parking.models import Floor, Zone
from staff.tests.factories import visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_inside_one_gone():
    now = timezone.now()
    visit("ABJ1234", now - timedelta(hours=2, minutes=5), None, "employee")
    visit("XDR1001", now - timedelta(minutes=40), None, "visitor")
    visit("XDR1002", now - timedelta(minutes=20), None, "visitor")
    visit("GON4321", now - timedelta(hours=3), 30, "visitor")


def test_the_guard_sees_who_is_inside_and_since_when(client_for, guard, three_inside_one_gone):
    html = client_for(guard).get("/inside/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 vehicles inside" in html
    assert "ABJ 1234" in html and "ا ب ح ١٢٣٤" in html  # both scripts
    assert "2 h 05 min" in html and "40 min" in html
    assert "GON 4321" not in html


def test_in_arabic_the_count_and_durations_have_arabic_digits(client_for, guard, three_inside_one_gone):
    html = client_for(guard).get("/inside/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "٣ مركبات في الداخل" in html
    assert "٢ س ٠٥ د" in html


def test_filter_by_category(client_for, guard, three_inside_one_gone):
    html = (
        client_for(guard).get("/inside/", {"category": "visitor"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "2 vehicles inside" in html and "ABJ 1234" not in html


def test_filter_by_the_floor_of_the_gate(client_for, guard, three_inside_one_gone):
    entry = Camera.objects.get(code="CAM-ENTRY")
    ground = Floor.objects.create(name="Ground Floor", level=0)
    Floor.objects.create(name="Roof", level=3)
    Zone.objects.create(camera=entry, code="entry-lane", floor=ground, kind=Zone.Kind.DETECTION)
    client = client_for(guard)
    on_ground = client.get("/inside/", {"floor": ground.pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 vehicles inside" in on_ground
    roof = Floor.objects.get(name="Roof")
    on_roof = client.get("/inside/", {"floor": roof.pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 vehicles inside" in on_roof and "No vehicle is inside." in on_roof


def test_the_filters_say_all(client_for, guard, three_inside_one_gone):
    html = client_for(guard).get("/inside/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('<option value="" selected>All</option>') == 2
