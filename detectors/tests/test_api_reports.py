from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alerts.models import Alert
from detectors.models import CrimeReport

CRIME = {
    "camera_id": None,
    "crime_type": "theft",
    "confidence_score": 92.5,
    "start_time": "2026-02-27T14:28:00Z",
    "end_time": "2026-02-27T14:32:00Z",
}


def crime(camera, **changes):
    return {**CRIME, "camera_id": camera.pk, **changes}


# --- heartbeat -----------------------------------------------------------------------


def test_heartbeat_marks_the_detector_active_and_records_its_cameras(authed, detector, camera):
    response = authed.post("/api/model/heartbeat", {"camera_ids": [camera.pk]}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] is True and response.json()["message"] == "Heartbeat received"
    detector.refresh_from_db()
    assert detector.is_active and detector.last_heartbeat_at is not None
    assert detector.reported_camera_ids == [camera.pk]


def test_heartbeat_does_not_record_cameras_that_are_not_assigned(authed, detector, camera, other_camera):
    response = authed.post(
        "/api/model/heartbeat", {"camera_ids": [camera.pk, other_camera.pk, 999]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["data"] == {
        "camera_ids": [camera.pk],
        "ignored_camera_ids": [other_camera.pk, 999],
    }
    detector.refresh_from_db()
    assert detector.reported_camera_ids == [camera.pk]


@pytest.mark.parametrize("payload", [{}, {"camera_ids": "1,2"}, {"camera_ids": ["x"]}, {"camera_ids": [0]}])
def test_heartbeat_validation_names_camera_ids(authed, detector, payload):
    response = authed.post("/api/model/heartbeat", payload, format="json")

    assert response.status_code == 422
    assert "camera_ids" in response.json()["errors"]
    detector.refresh_from_db()
    assert not detector.is_active


# --- alert / alert stop --------------------------------------------------------------


def post_alert(client, camera, confidence=65.5):
    return client.post(
        "/api/model/alert",
        {"camera_id": camera.pk, "confidence_score": confidence, "alert_type": "suspicious"},
        format="json",
    )


def test_alert_opens_a_suspicious_activity_alert_on_the_camera(authed, camera):
    response = post_alert(authed, camera)

    assert response.status_code == 200
    assert response.json()["message"] == "Alert received"
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.SUSPICIOUS_ACTIVITY and alert.camera == camera
    assert alert.status == Alert.Status.OPEN and alert.severity == "high"


def test_repeated_alerts_update_the_same_alert_and_raise_its_severity(authed, camera):
    post_alert(authed, camera, 45)
    post_alert(authed, camera, 85)

    alert = Alert.objects.get()
    assert alert.occurrences == 2 and alert.severity == "critical"


def test_a_lower_confidence_repeat_keeps_the_higher_severity(authed, camera):
    post_alert(authed, camera, 85)
    post_alert(authed, camera, 20)

    assert Alert.objects.get().severity == "critical"


def test_alert_stop_closes_it(authed, camera):
    post_alert(authed, camera)

    response = authed.post("/api/model/alert/stop", {"camera_id": camera.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["message"] == "Alert stopped"
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.RESOLVED and alert.resolved_at is not None


def test_an_alert_after_stop_opens_a_new_one(authed, camera):
    post_alert(authed, camera)
    authed.post("/api/model/alert/stop", {"camera_id": camera.pk}, format="json")

    post_alert(authed, camera)

    assert Alert.objects.count() == 2 and Alert.objects.active().count() == 1


def test_alert_stop_without_an_open_alert_is_still_ok(authed, camera):
    response = authed.post("/api/model/alert/stop", {"camera_id": camera.pk}, format="json")

    assert response.status_code == 200 and response.json()["data"] == {"closed_alerts": 0}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"confidence_score": 50}, "camera_id"),
        ({"camera_id": "abc", "confidence_score": 50}, "camera_id"),
        ({"camera_id": "CAM", "confidence_score": 101}, "confidence_score"),
        ({"camera_id": "CAM"}, "confidence_score"),
        ({"camera_id": "CAM", "confidence_score": -1}, "confidence_score"),
    ],
)
def test_alert_validation_names_the_field(authed, camera, payload, field):
    payload = {k: camera.pk if v == "CAM" else v for k, v in payload.items()}

    response = authed.post("/api/model/alert", payload, format="json")

    assert response.status_code == 422
    body = response.json()
    assert body["status"] is False and list(body["errors"]) == [field]
    assert not Alert.objects.exists()


# --- never on an unassigned camera -----------------------------------------------------


def test_alert_on_an_unassigned_camera_is_refused(authed, other_camera):
    response = post_alert(authed, other_camera)

    assert response.status_code == 422
    assert response.json()["errors"] == {"camera_id": ["The selected camera id is invalid."]}
    assert not Alert.objects.exists()


def test_stop_on_an_unassigned_camera_is_refused_and_closes_nothing(
    authed, client_from_ip, other_camera, detector
):
    from detectors.models import Detector

    owner = Detector(name="Other", email="model2@system.local", allowed_ip="10.20.0.9")
    owner.set_password("x")
    owner.save()
    owner.cameras.add(other_camera)
    owner_client = client_from_ip("10.20.0.9")
    owner_client.credentials(HTTP_AUTHORIZATION=f"Bearer {owner.issue_token()}")
    post_alert(owner_client, other_camera)

    response = authed.post("/api/model/alert/stop", {"camera_id": other_camera.pk}, format="json")

    assert response.status_code == 422
    assert Alert.objects.get().status == Alert.Status.OPEN


def test_crime_on_an_unassigned_camera_is_refused(authed, other_camera):
    response = authed.post("/api/model/crime", crime(other_camera), format="json")

    assert response.status_code == 422 and "camera_id" in response.json()["errors"]
    assert not CrimeReport.objects.exists() and not Alert.objects.exists()


def test_crime_on_a_disabled_assigned_camera_is_refused(authed, camera):
    camera.enabled = False
    camera.save()

    response = authed.post("/api/model/crime", crime(camera), format="json")

    assert response.status_code == 422


# --- crime ---------------------------------------------------------------------------------


def test_crime_is_201_pending_with_severity(authed, detector, camera):
    response = authed.post("/api/model/crime", crime(camera), format="json")

    assert response.status_code == 201
    body = response.json()
    report = CrimeReport.objects.get()
    assert body == {
        "status": True,
        "message": "Crime reported successfully",
        "data": {"crime_id": report.pk, "status": "pending", "severity": "critical"},
    }
    assert report.detector == detector and report.camera == camera
    assert report.crime_type == "theft" and report.confidence_score == 92.5
    assert report.start_time == datetime(2026, 2, 27, 14, 28, tzinfo=UTC)
    assert report.end_time == datetime(2026, 2, 27, 14, 32, tzinfo=UTC)
    assert report.evidence_status == CrimeReport.EvidenceStatus.PENDING


def test_crime_raises_a_crime_alert_of_that_severity(authed, camera):
    authed.post("/api/model/crime", crime(camera, confidence_score=61), format="json")

    report = CrimeReport.objects.get()
    alert = Alert.objects.get()
    assert report.alert == alert
    assert alert.kind == Alert.Kind.CRIME and alert.severity == "high" and alert.camera == camera


def test_two_crimes_are_two_alerts(authed, camera):
    authed.post("/api/model/crime", crime(camera), format="json")
    authed.post("/api/model/crime", crime(camera), format="json")

    assert Alert.objects.filter(kind=Alert.Kind.CRIME).count() == 2


@pytest.mark.parametrize(
    ("confidence", "severity"),
    [
        (0, "low"),
        (39.99, "low"),
        (40, "medium"),
        (59.99, "medium"),
        (60, "high"),
        (79.99, "high"),
        (80, "critical"),
        (100, "critical"),
    ],
)
def test_severity_boundaries(authed, camera, confidence, severity):
    response = authed.post("/api/model/crime", crime(camera, confidence_score=confidence), format="json")

    assert response.status_code == 201
    assert response.json()["data"]["severity"] == severity


@pytest.mark.parametrize(
    "crime_type",
    [
        "theft",
        "assault",
        "vandalism",
        "break_in",
        "suspicious_activity",
        "robbery",
        "trespassing",
        "fighting",
    ],
)
def test_every_seed_crime_type_is_accepted(authed, camera, crime_type):
    response = authed.post("/api/model/crime", crime(camera, crime_type=crime_type), format="json")

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"crime_type": "arson"}, "crime_type"),
        ({"crime_type": None}, "crime_type"),
        ({"confidence_score": 100.5}, "confidence_score"),
        ({"confidence_score": -0.1}, "confidence_score"),
        ({"confidence_score": "high"}, "confidence_score"),
        ({"start_time": "yesterday"}, "start_time"),
        ({"end_time": ""}, "end_time"),
        ({"start_time": "2026-02-27T14:33:00Z"}, "end_time"),
        ({"camera_id": None}, "camera_id"),
    ],
)
def test_crime_validation_names_the_field(authed, camera, changes, field):
    response = authed.post("/api/model/crime", crime(camera, **changes), format="json")

    assert response.status_code == 422
    body = response.json()
    assert body["status"] is False and field in body["errors"]
    assert not CrimeReport.objects.exists()


def test_crime_with_missing_fields_lists_them_all(authed):
    response = authed.post("/api/model/crime", {}, format="json")

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "camera_id",
        "crime_type",
        "confidence_score",
        "start_time",
        "end_time",
    }


def test_equal_start_and_end_is_accepted(authed, camera):
    response = authed.post("/api/model/crime", crime(camera, start_time=CRIME["end_time"]), format="json")

    assert response.status_code == 201


def test_times_with_an_offset_are_stored_in_utc(authed, camera):
    authed.post(
        "/api/model/crime",
        crime(camera, start_time="2026-02-27T17:28:00+03:00", end_time="2026-02-27T17:32:00+03:00"),
        format="json",
    )

    assert CrimeReport.objects.get().start_time == datetime(2026, 2, 27, 14, 28, tzinfo=UTC)
