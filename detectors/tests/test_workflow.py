from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from alerts.models import Alert
from detectors.models import CrimeReport, TransitionError

CRIME = {
    "crime_type": "assault",
    "confidence_score": 70,
    "start_time": "2026-02-27T14:28:00Z",
    "end_time": "2026-02-27T14:32:00Z",
}


@pytest.fixture
def report(authed, camera):
    authed.post("/api/model/crime", {**CRIME, "camera_id": camera.pk}, format="json")
    return CrimeReport.objects.get()


@pytest.fixture
def officer(db):
    return get_user_model().objects.create(username="officer", is_staff=True)


def test_confirm_then_hand_over_resolves_the_alert(report, officer):
    report.confirm(by=officer)
    report.hand_over(by=officer, to="Olaya police station", note="case 77")

    report.refresh_from_db()
    assert report.status == CrimeReport.Status.HANDED_OVER
    assert report.reviewed_by == officer and report.reviewed_at is not None
    assert report.handed_over_to == "Olaya police station" and report.handed_over_at is not None
    alert = Alert.objects.get(pk=report.alert_id)
    assert alert.status == Alert.Status.RESOLVED and alert.resolved_by == officer


def test_dismiss_marks_the_alert_a_false_positive(report, officer):
    report.dismiss(by=officer, note="shadow")

    report.refresh_from_db()
    assert report.status == CrimeReport.Status.DISMISSED and report.note == "shadow"
    assert Alert.objects.get(pk=report.alert_id).status == Alert.Status.FALSE_POSITIVE


def test_a_pending_report_cannot_be_handed_over(report, officer):
    with pytest.raises(TransitionError):
        report.hand_over(by=officer)

    report.refresh_from_db()
    assert report.status == CrimeReport.Status.PENDING


def test_a_dismissed_report_cannot_be_confirmed(report, officer):
    report.dismiss(by=officer)

    with pytest.raises(TransitionError):
        report.confirm(by=officer)


def test_confirming_keeps_the_alert_open(report, officer):
    report.confirm(by=officer)

    assert Alert.objects.get(pk=report.alert_id).status == Alert.Status.OPEN
