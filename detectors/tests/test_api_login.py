from __future__ import annotations

import pytest

from detectors.models import DetectorToken

from .conftest import DETECTOR_IP, PASSWORD

IP_MISMATCH = "Request IP does not match the whitelisted IP address for this model"


def login(client, email="model1@system.local", password=PASSWORD):
    return client.post("/api/model/login", {"email": email, "password": password}, format="json")


def test_login_returns_a_token_and_the_model(api, detector):
    response = login(api)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] is True and body["message"] == "Login successful"
    assert body["data"]["model"] == {
        "id": detector.pk,
        "name": "Crime model 1",
        "email": "model1@system.local",
        "ip_address": DETECTOR_IP,
    }
    token_id, _, secret = body["data"]["token"].partition("|")
    stored = DetectorToken.objects.get(pk=int(token_id))
    assert stored.detector == detector
    assert secret not in stored.key_hash  # only the hash is kept
    assert DetectorToken.resolve(body["data"]["token"]) == stored


def test_wrong_password_is_401_invalid_credentials(api, detector):
    response = login(api, password="nope")

    assert response.status_code == 401
    assert response.json() == {"status": False, "message": "Invalid credentials", "data": None}
    assert not DetectorToken.objects.exists()


def test_unknown_email_is_the_same_401(api, detector):
    response = login(api, email="ghost@system.local")

    assert response.status_code == 401
    assert response.json()["message"] == "Invalid credentials"


def test_login_from_another_ip_is_403_with_the_seed_message(client_from_ip, detector):
    response = login(client_from_ip("10.20.0.99"))

    assert response.status_code == 403
    assert response.json() == {"status": False, "message": IP_MISMATCH, "data": None}
    assert not DetectorToken.objects.exists()


def test_forwarded_address_is_believed_only_from_a_trusted_proxy(client_from_ip, detector, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    via_proxy = client_from_ip("127.0.0.1").post(
        "/api/model/login",
        {"email": detector.email, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR=DETECTOR_IP,
    )
    spoofed = client_from_ip("10.20.0.99").post(
        "/api/model/login",
        {"email": detector.email, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR=DETECTOR_IP,
    )

    assert via_proxy.status_code == 200
    assert spoofed.status_code == 403


def test_disabled_account_cannot_log_in(api, detector):
    detector.enabled = False
    detector.save()

    response = login(api)

    assert response.status_code == 403
    assert response.json()["status"] is False


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "model1@system.local"}, "password"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
    ],
)
def test_missing_or_bad_fields_are_422_with_the_field(api, detector, payload, field):
    response = api.post("/api/model/login", payload, format="json")

    assert response.status_code == 422
    body = response.json()
    assert body["status"] is False and field in body["errors"]
    assert body["message"] == body["errors"][field][0]


def test_malformed_json_is_answered_in_the_envelope(api, detector):
    response = api.post("/api/model/login", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["status"] is False


def test_login_is_throttled_after_repeated_failures(api, detector, settings):
    settings.DETECTOR_LOGIN_MAX_ATTEMPTS = 3
    for _ in range(3):
        assert login(api, password="wrong").status_code == 401

    blocked = login(api)  # even the right password waits out the window

    assert blocked.status_code == 429
    assert blocked.json()["status"] is False
    assert blocked["Retry-After"] == str(settings.DETECTOR_LOGIN_WINDOW_SECONDS)
    assert not DetectorToken.objects.exists()


def test_throttle_is_per_address_and_email(client_from_ip, detector, settings):
    settings.DETECTOR_LOGIN_MAX_ATTEMPTS = 2
    attacker = client_from_ip("10.20.0.99")
    for _ in range(2):
        login(attacker, password="wrong")

    assert login(attacker).status_code == 429
    assert login(client_from_ip()).status_code == 200


def test_a_success_resets_the_failure_count(api, detector, settings):
    settings.DETECTOR_LOGIN_MAX_ATTEMPTS = 2
    login(api, password="wrong")
    assert login(api).status_code == 200
    login(api, password="wrong")

    assert login(api).status_code == 200


def test_email_is_matched_without_regard_to_case(api, detector):
    assert login(api, email="Model1@System.LOCAL").status_code == 200


def test_an_ipv4_mapped_address_counts_as_the_ipv4_address(client_from_ip, detector):
    assert login(client_from_ip(f"::ffff:{DETECTOR_IP}")).status_code == 200


def test_from_a_wrong_address_the_answer_says_nothing_about_the_password(client_from_ip, detector):
    right = login(client_from_ip("10.20.0.99"))
    wrong = login(client_from_ip("10.20.0.99"), password="nope")

    assert right.status_code == wrong.status_code == 403
    assert right.json() == wrong.json() == {"status": False, "message": IP_MISMATCH, "data": None}


def test_the_failure_count_is_shared_by_every_worker(api, detector, settings):
    from django.core.cache import cache

    settings.DETECTOR_LOGIN_MAX_ATTEMPTS = 3
    for _ in range(3):
        login(api, password="wrong")
    cache.clear()  # another worker has its own process cache: the count must not live there

    assert login(api).status_code == 429
