"""Alert transitions: each allowed from the right statuses only, each recorded in the history."""

from __future__ import annotations

import pytest

from alerts.models import TransitionNotAllowed
from alerts.services import raise_alert


@pytest.fixture
def alert(restricted_zone):
    return raise_alert(
        "violation", title="Vehicle in VIP restricted", zone=restricted_zone, camera=restricted_zone.camera
    ).alert


@pytest.fixture
def guard(user_with):
    return user_with(username="guard")


def test_acknowledge_records_who_and_when(alert, guard):
    alert.acknowledge(by=guard, note="looking")
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == guard and alert.acknowledged_at
    assert alert.history.last().text == "looking"


def test_resolve_from_open_or_acknowledged(alert, guard):
    alert.acknowledge(by=guard)
    alert.resolve(by=guard, note="Vehicle left")
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by, alert.resolution_note) == ("resolved", guard, "Vehicle left")
    assert alert.is_resolved and not alert.is_active
    assert [h.action for h in alert.history.all()] == ["opened", "acknowledged", "resolved"]


def test_false_positive(alert, guard):
    alert.mark_false_positive(by=guard, note="shadow")
    alert.refresh_from_db()
    assert alert.status == "false_positive" and alert.resolved_at and alert.resolution_note == "shadow"


@pytest.mark.parametrize(
    "first,second",
    [
        ("resolve", "resolve"),
        ("resolve", "acknowledge"),
        ("resolve", "mark_false_positive"),
        ("mark_false_positive", "resolve"),
        ("acknowledge", "acknowledge"),
    ],
)
def test_transitions_not_allowed_from_the_wrong_status(alert, guard, first, second):
    getattr(alert, first)(by=guard)
    with pytest.raises(TransitionNotAllowed):
        getattr(alert, second)(by=guard)
    assert alert.history.count() == 2


def test_transition_checks_the_stored_status_not_a_stale_copy(alert, guard):
    stale = type(alert).objects.get(pk=alert.pk)
    alert.resolve(by=guard)
    with pytest.raises(TransitionNotAllowed):
        stale.acknowledge(by=guard)


def test_reopen_a_resolved_alert(alert, guard):
    alert.resolve(by=guard)
    alert.reopen(by=guard, note="car is back")
    alert.refresh_from_db()
    assert alert.status == "open" and alert.resolved_at is None


def test_assign_and_unassign(alert, guard, user_with):
    officer = user_with(username="officer")
    alert.assign(officer, by=guard)
    alert.refresh_from_db()
    assert alert.assigned_to == officer and alert.assigned_at
    alert.assign(None, by=guard)
    alert.refresh_from_db()
    assert alert.assigned_to is None


def test_comment_is_allowed_on_a_closed_alert(alert, guard):
    alert.resolve(by=guard)
    alert.comment("Owner called", by=guard)
    assert alert.history.last().text == "Owner called"


def test_repeat_with_lower_severity_does_not_escalate(restricted_zone):
    first = raise_alert("violation", title="x", zone=restricted_zone, severity="high")
    repeat = raise_alert("violation", title="x", zone=restricted_zone, severity="low")
    assert repeat.alert == first.alert and not repeat.escalated and repeat.alert.severity == "high"
