from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from detectors.models import CrimeReport
from detectors.tasks import sweep_evidence

CRIME = {
    "crime_type": "theft",
    "confidence_score": 92.5,
    "start_time": "2026-02-27T14:28:00Z",
    "end_time": "2026-02-27T14:32:00Z",
}


def test_a_wrong_method_is_answered_in_the_envelope(authed):
    response = authed.get("/api/model/crime")

    assert response.status_code == 405
    assert response.json()["status"] is False and response["Allow"]


def test_the_openapi_schema_documents_the_detector_api():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    crime = schema["paths"]["/api/model/crime"]["post"]
    assert {"detectorBearer": []} in crime["security"]
    assert {"201", "401", "403", "422"} <= set(crime["responses"])


def test_the_sweep_queues_reports_whose_evidence_never_started(authed, camera):
    authed.post("/api/model/crime", {**CRIME, "camera_id": camera.pk}, format="json")
    report = CrimeReport.objects.get()
    CrimeReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    fresh = authed.post("/api/model/crime", {**CRIME, "camera_id": camera.pk}, format="json")

    with mock.patch("detectors.tasks.retrieve_evidence.apply_async") as queued:
        assert sweep_evidence.apply().get() == 1

    assert queued.call_args.args[0] == (report.pk,)
    assert fresh.json()["data"]["crime_id"] != report.pk


def test_admin_retry_evidence_resets_and_queues(admin_client, authed, camera):
    authed.post("/api/model/crime", {**CRIME, "camera_id": camera.pk}, format="json")
    report = CrimeReport.objects.get()
    CrimeReport.objects.filter(pk=report.pk).update(
        evidence_status="failed", evidence_attempts=5, evidence_error="device error"
    )

    with mock.patch("detectors.admin.retrieve_evidence.delay") as queued:
        admin_client.post(
            "/admin/detectors/crimereport/", {"action": "retry_evidence", "_selected_action": [report.pk]}
        )

    report.refresh_from_db()
    assert report.evidence_status == "pending" and report.evidence_attempts == 0
    queued.assert_called_once_with(report.pk)
