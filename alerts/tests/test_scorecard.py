"""The alert quality scorecard: outcomes on closed alerts, precision, response times,
guards, and suggestions computed from the data; API, page and admin, in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.choices import Kind, Outcome, Status
from alerts.models import Alert
from alerts.scorecard import scorecard
from alerts.services import raise_alert

START = timezone.now() - timedelta(days=2)


def intrusion(
    zone,
    minute: float,
    *,
    ack_after: float | None = None,
    resolve_after: float | None = None,
    outcome: str | None = None,
    by=None,
    length: float = 5,
) -> Alert:
    """An intrusion first seen ``minute`` minutes after START, lasting ``length`` seconds."""
    first = START + timedelta(minutes=minute)
    alert = Alert.objects.create(
        kind=Kind.INTRUSION,
        title="Intrusion",
        camera=zone.camera,
        zone=zone,
        group_key=f"intrusion|{zone.camera_id}|{zone.pk}|",
        first_seen_at=first,
        last_seen_at=first + timedelta(seconds=length),
    )
    changes = {}
    if ack_after is not None:
        changes.update(
            status=Status.ACKNOWLEDGED,
            acknowledged_by=by,
            acknowledged_at=first + timedelta(seconds=ack_after),
        )
    if outcome is not None:
        closed = Status.FALSE_POSITIVE if outcome == Outcome.FALSE_POSITIVE else Status.RESOLVED
        changes.update(
            status=closed,
            outcome=outcome,
            resolved_by=by,
            resolved_at=first + timedelta(seconds=resolve_after or 60),
        )
    Alert.objects.filter(pk=alert.pk).update(**changes)
    return alert


@pytest.fixture
def judged(restricted_zone, user_with):
    """Ten intrusions: 4 true, 1 false positive, 4 duplicates arriving 40-90 s after the
    previous alert ended, 1 test. Guards: amal closes seven, badr three."""
    amal, badr = user_with(username="amal"), user_with(username="badr")
    plan = [
        (0, Outcome.TRUE, amal),
        (1, Outcome.DUPLICATE, amal),
        (60, Outcome.TRUE, amal),
        (61.5, Outcome.DUPLICATE, amal),
        (120, Outcome.TRUE, badr),
        (121, Outcome.DUPLICATE, badr),
        (180, Outcome.FALSE_POSITIVE, amal),
        (181.5, Outcome.DUPLICATE, amal),
        (240, Outcome.TRUE, badr),
        (300, Outcome.TEST, amal),
    ]
    for number, (minute, outcome, guard) in enumerate(plan):
        intrusion(
            restricted_zone,
            minute,
            ack_after=10 + number * 10,
            resolve_after=100 + number * 100,
            outcome=outcome,
            by=guard,
        )
    return restricted_zone


def test_precision_counts_true_over_judged_and_leaves_tests_out(judged):
    row = scorecard(START - timedelta(hours=1)).tables["rule"][0]

    assert (row.key, row.raised, row.true, row.false_positive, row.duplicate, row.test) == (
        "intrusion",
        10,
        4,
        1,
        4,
        1,
    )
    assert row.precision == 44.4  # 4 of 9 judged


def test_median_times_to_acknowledge_and_resolve(judged):
    row = scorecard(START - timedelta(hours=1)).tables["camera"][0]

    assert row.key == "CAM-01"
    assert (row.median_ack_seconds, row.median_resolve_seconds) == (55.0, 550.0)


def test_zone_table_names_camera_and_zone(judged):
    assert [row.key for row in scorecard(START - timedelta(hours=1)).tables["zone"]] == [
        "CAM-01 restricted-vip"
    ]


def test_alerts_handled_per_guard(judged):
    guards = scorecard(START - timedelta(hours=1)).guards

    assert guards == [
        {"guard": "amal", "acknowledged": 7, "closed": 7},
        {"guard": "badr", "acknowledged": 3, "closed": 3},
    ]


def test_suggests_the_cooldown_that_would_have_merged_the_duplicates(judged, settings):
    settings.INTRUSION_COOLDOWN_SECONDS = 30

    suggestions = scorecard(START - timedelta(hours=1)).suggestions

    # Duplicates came 55 to 85 s after the alert before them ended: 120 s covers every one.
    assert suggestions == [
        "cooldown 30 s on CAM-01 restricted-vip Intrusion: 40 % of its alerts "
        "were duplicates; 120 s would have merged them"
    ]


def test_suggests_reviewing_a_rule_that_is_mostly_false_positives(restricted_zone):
    for minute in range(6):
        intrusion(restricted_zone, minute * 60, outcome=Outcome.FALSE_POSITIVE if minute else Outcome.TRUE)

    assert scorecard(START - timedelta(hours=1)).suggestions == [
        "CAM-01 restricted-vip Intrusion: 83 % of 6 judged alerts were false positives; review the "
        "zone's targets, schedule or sensitivity"
    ]


def test_the_period_bounds_the_scorecard(judged):
    card = scorecard(START + timedelta(minutes=100), START + timedelta(minutes=200))

    assert card.tables["rule"][0].raised == 4


def test_resolving_through_the_api_records_the_outcome(restricted_zone, user_with):
    alert = raise_alert(
        Kind.INTRUSION, title="Intrusion", camera=restricted_zone.camera, zone=restricted_zone
    ).alert
    client = APIClient()
    client.force_authenticate(user_with("resolve_alert", "view_alert"))

    response = client.post(f"/api/v1/alerts/{alert.pk}/resolve", {"outcome": "duplicate"}, format="json")

    assert response.status_code == 200
    alert.refresh_from_db()
    assert (alert.status, alert.outcome) == (Status.RESOLVED, Outcome.DUPLICATE)


def test_resolving_without_an_outcome_is_a_true_alert_and_false_positive_sets_its_own(
    restricted_zone, user_with
):
    first, second = (
        raise_alert(
            Kind.INTRUSION,
            title="Intrusion",
            camera=restricted_zone.camera,
            zone=restricted_zone,
            group_key=key,
        ).alert
        for key in ("a", "b")
    )
    guard = user_with("resolve_alert")
    first.resolve(by=guard)
    second.mark_false_positive(by=guard)
    second.reopen(by=guard)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, second.outcome) == (Outcome.TRUE, "")


def test_scorecard_api(judged, user_with):
    client = APIClient()
    client.force_authenticate(user_with("view_alert"))

    response = client.get("/api/v1/alerts/scorecard", {"since": (START - timedelta(hours=1)).isoformat()})

    assert response.status_code == 200
    body = response.json()
    assert body["rule"][0]["precision"] == 44.4 and body["rule"][0]["duplicate"] == 4
    assert body["guards"][0]["guard"] == "amal"
    assert "120 s would have merged them" in body["suggestions"][0]


def test_scorecard_api_needs_the_view_permission(user_with):
    client = APIClient()
    client.force_authenticate(user_with("acknowledge_alert"))

    assert client.get("/api/v1/alerts/scorecard").status_code == 403


def test_scorecard_page_in_arabic(judged, user_with):
    client = Client()
    client.force_login(user_with("view_alert"))
    start = (START - timedelta(days=1)).date().isoformat()

    response = client.get("/alerts/scorecard/", {"start": start}, HTTP_ACCEPT_LANGUAGE="ar")

    text = response.content.decode()
    assert response.status_code == 200
    assert "جودة التنبيهات" in text and "الدقة" in text
    assert "120" in text and "amal" in text


def test_the_resolve_form_on_the_alert_page_takes_an_outcome(restricted_zone, user_with):
    alert = raise_alert(
        Kind.INTRUSION, title="Intrusion", camera=restricted_zone.camera, zone=restricted_zone
    ).alert
    client = Client()
    client.force_login(user_with("view_alert", "resolve_alert"))

    client.post(f"/alerts/{alert.pk}/resolve", {"outcome": "test", "note": "drill"})

    alert.refresh_from_db()
    assert (alert.status, alert.outcome) == (Status.RESOLVED, Outcome.TEST)


def test_admin_resolves_selected_alerts_as_duplicates(restricted_zone, admin_client):
    alert = raise_alert(
        Kind.INTRUSION, title="Intrusion", camera=restricted_zone.camera, zone=restricted_zone
    ).alert

    admin_client.post(
        "/admin/alerts/alert/",
        {"action": "duplicate_selected", "_selected_action": [alert.pk], "apply": "1", "note": "same car"},
    )

    alert.refresh_from_db()
    assert alert.outcome == Outcome.DUPLICATE


def test_suggestions_are_written_in_the_reader_s_language(judged):
    from django.utils import translation

    with translation.override("ar"):
        suggestions = scorecard(START - timedelta(hours=1)).suggestions

    assert "كانت ستدمجها" in suggestions[0] and "120" in suggestions[0]


def test_detector_table_credits_the_service_watching_the_camera(restricted_zone):
    from detectors.models import Detector

    detector = Detector.objects.create(name="Scene AI", email="scene@example.test", allowed_ip="127.0.0.1")
    detector.cameras.add(restricted_zone.camera)
    alert = intrusion(restricted_zone, 0, outcome=Outcome.TRUE)
    Alert.objects.filter(pk=alert.pk).update(kind=Kind.SUSPICIOUS_ACTIVITY)
    intrusion(restricted_zone, 10, outcome=Outcome.TRUE)  # an intrusion is no detector's

    rows = scorecard(START - timedelta(hours=1)).tables["detector"]

    assert [(row.key, row.raised, row.precision) for row in rows] == [("Scene AI", 1, 100.0)]
