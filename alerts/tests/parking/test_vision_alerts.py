"""Seed 004's vision events on a floor that counts from its zones raise a configuration alert."""

from __future__ import annotations

from alerts.models import Alert
from parking.tests.test_seed_gaps import EVENTS, post_event


def test_uncounted_vision_events_raise_one_configuration_alert(api_as, zone_floor):
    vision = api_as(*EVENTS)
    for minute, track in enumerate("abcd"):
        post_event(vision, zone_floor, track, minutes=minute)

    alert = Alert.objects.get()
    assert alert.kind == "configuration" and "Basement" in alert.title
    assert alert.occurrences == 4


def test_a_counted_vision_event_raises_no_configuration_alert(api_as, two_slot_floor):
    response = post_event(api_as(*EVENTS), two_slot_floor, "a")

    assert response.json()["uncounted_reason"] == ""
    assert not Alert.objects.exists()
