from __future__ import annotations

import re

import pytest

from detectors.models import CrimeReport, Detector, DetectorToken

CHANGELIST = "/admin/detectors/detector/"


def test_admin_creates_a_detector_with_a_hashed_password(admin_client, camera, client_from_ip):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "name": "Model 2",
            "email": "model2@system.local",
            "new_password": "Very-long-pass-99",
            "allowed_ip": "10.20.0.8",
            "enabled": "on",
            "cameras": [camera.pk],
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    detector = Detector.objects.get(email="model2@system.local")
    assert detector.password.startswith("md5$") and "Very-long-pass-99" not in detector.password
    login = client_from_ip("10.20.0.8").post(
        "/api/model/login", {"email": "model2@system.local", "password": "Very-long-pass-99"}, format="json"
    )
    assert login.status_code == 200
    assert list(detector.cameras.all()) == [camera]


def test_a_new_detector_needs_a_password(admin_client):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {
            "name": "Model 3",
            "email": "model3@system.local",
            "new_password": "",
            "allowed_ip": "10.20.0.8",
            "tokens-TOTAL_FORMS": "0",
            "tokens-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert not Detector.objects.filter(email="model3@system.local").exists()


def test_issue_token_shows_it_once_and_it_works(admin_client, detector, client_from_ip):
    response = admin_client.post(CHANGELIST, {"action": "issue_token", "_selected_action": [detector.pk]})

    assert response.status_code == 200
    token = re.search(r'id="detector-token"[^>]*>([^<]+)<', response.content.decode()).group(1)
    client = client_from_ip()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/model/cameras").status_code == 200
    # Only the hash is stored: the change page never shows the token again.
    page = admin_client.get(f"{CHANGELIST}{detector.pk}/change/").content.decode()
    assert token.split("|")[1] not in page


def test_revoke_tokens_from_the_admin(admin_client, authed, detector):
    assert authed.get("/api/model/cameras").status_code == 200

    admin_client.post(CHANGELIST, {"action": "revoke_tokens", "_selected_action": [detector.pk]})

    assert authed.get("/api/model/cameras").status_code == 401
    assert DetectorToken.objects.live().count() == 0


def test_changing_the_password_revokes_existing_tokens(admin_client, authed, detector, camera):
    admin_client.post(
        f"{CHANGELIST}{detector.pk}/change/",
        {
            "name": detector.name,
            "email": detector.email,
            "new_password": "Another-long-pass-42",
            "allowed_ip": detector.allowed_ip,
            "enabled": "on",
            "cameras": [camera.pk],
            "tokens-TOTAL_FORMS": "1",
            "tokens-INITIAL_FORMS": "1",
            "tokens-0-id": DetectorToken.objects.get().pk,
            "tokens-0-detector": detector.pk,
        },
    )

    assert authed.get("/api/model/cameras").status_code == 401


@pytest.mark.parametrize("page", ["detector/", "detectortoken/", "crimereport/", "dutyshift/"])
def test_admin_lists_render(admin_client, detector, token, page):
    assert admin_client.get(f"/admin/detectors/{page}").status_code == 200


def test_crime_report_workflow_actions(admin_client, authed, camera):
    authed.post(
        "/api/model/crime",
        {
            "camera_id": camera.pk,
            "crime_type": "theft",
            "confidence_score": 90,
            "start_time": "2026-02-27T14:28:00Z",
            "end_time": "2026-02-27T14:32:00Z",
        },
        format="json",
    )
    report = CrimeReport.objects.get()

    admin_client.post("/admin/detectors/crimereport/", {"action": "confirm", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == CrimeReport.Status.CONFIRMED

    assert admin_client.get(f"/admin/detectors/crimereport/{report.pk}/change/").status_code == 200
