"""Anonymous API callers are told to authenticate (401 + WWW-Authenticate), not refused (403)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events",
        "/api/v1/alerts",
        "/api/v1/occupancy",
        "/api/v1/vehicles",
        "/api/v1/config/cameras",
        "/api/camera/alarm",
    ],
)
def test_anonymous_api_request_is_401_with_a_challenge(url):
    answer = APIClient().get(url)

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] in ("Token", "Bearer")


def test_a_signed_in_user_without_permission_still_gets_403(django_user_model):
    client = APIClient()
    client.force_login(django_user_model.objects.create_user("nobody", password="x-pass-1"))

    assert client.get("/api/v1/alerts").status_code == 403
