"""X-Forwarded-Proto is believed only from a trusted proxy (it was believed from anyone)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tls_behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


def test_https_claimed_by_a_trusted_proxy_is_believed(client, tls_behind_proxy):
    answer = client.get("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert answer.status_code == 200


def test_https_claimed_by_anyone_else_is_not(client, tls_behind_proxy):
    answer = client.get("/login/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_PROTO="https")
    assert answer.status_code == 301
    assert answer["Location"].startswith("https://")
