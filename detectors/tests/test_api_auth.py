from __future__ import annotations

import pytest

from detectors.models import DetectorToken

IP_MISMATCH = "Request IP does not match the whitelisted IP address for this model"

ENDPOINTS = [
    ("get", "/api/model/cameras", None),
    ("post", "/api/model/heartbeat", {"camera_ids": []}),
    ("post", "/api/model/alert", {"camera_id": 1, "confidence_score": 50, "alert_type": "suspicious"}),
    ("post", "/api/model/alert/stop", {"camera_id": 1}),
    (
        "post",
        "/api/model/crime",
        {
            "camera_id": 1,
            "crime_type": "theft",
            "confidence_score": 90,
            "start_time": "2026-02-27T14:28:00Z",
            "end_time": "2026-02-27T14:32:00Z",
        },
    ),
]


def call(client, method, url, payload):
    return getattr(client, method)(url, payload, format="json") if payload else client.get(url)


@pytest.mark.parametrize(("method", "url", "payload"), ENDPOINTS)
def test_without_a_token_every_endpoint_is_401(api, detector, method, url, payload):
    response = call(api, method, url, payload)

    assert response.status_code == 401
    assert response.json() == {"status": False, "message": "Unauthenticated.", "data": None}
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "url", "payload"), ENDPOINTS)
def test_from_another_ip_every_endpoint_is_403(client_from_ip, token, method, url, payload):
    client = client_from_ip("10.20.0.77")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = call(client, method, url, payload)

    assert response.status_code == 403
    assert response.json() == {"status": False, "message": IP_MISMATCH, "data": None}


@pytest.mark.parametrize("bearer", ["garbage", "999|nope", "1|", "|"])
def test_a_wrong_token_is_401(api, token, bearer):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {bearer}")

    assert api.get("/api/model/cameras").status_code == 401


def test_a_token_with_a_known_id_but_wrong_secret_is_401(api, token):
    token_id = token.split("|")[0]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_id}|{'x' * 40}")

    assert api.get("/api/model/cameras").status_code == 401


def test_a_revoked_token_stops_working(authed, detector):
    assert authed.get("/api/model/cameras").status_code == 200

    detector.revoke_tokens()

    assert authed.get("/api/model/cameras").status_code == 401


def test_tokens_do_not_expire_and_record_their_use(authed, token):
    response = authed.get("/api/model/cameras")

    assert response.status_code == 200
    stored = DetectorToken.objects.get(pk=int(token.split("|")[0]))
    assert stored.last_used_at is not None and stored.revoked_at is None


def test_a_disabled_account_loses_api_access(authed, detector):
    detector.enabled = False
    detector.save()

    response = authed.get("/api/model/cameras")

    assert response.status_code == 403
    assert response.json()["status"] is False


def test_the_ip_check_uses_the_current_allowed_ip(authed, detector):
    detector.allowed_ip = "10.20.0.6"
    detector.save()

    assert authed.get("/api/model/cameras").status_code == 403
