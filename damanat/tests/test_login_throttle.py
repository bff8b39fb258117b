"""Staff sign-ins are throttled on every login form and on token login (django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_FORMS = ["/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.STAFF_LOGIN_MAX_ATTEMPTS = 5


def sign_in(client, url, password, ip="10.1.1.1"):
    return client.post(url, {"username": "guard", "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_repeated_wrong_passwords_lock_the_form_out(client, guard, url):
    answers = [sign_in(client, url, "wrong").status_code for _ in range(8)]

    assert answers[:4] == [200] * 4  # the form again, with its error
    assert set(answers[4:]) == {429}
    locked = sign_in(client, url, PASSWORD)
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_the_count_lives_in_the_database_for_every_worker(client, guard, url):
    for _ in range(3):
        sign_in(client, url, "wrong")

    assert AccessAttempt.objects.get(username="guard").failures_since_start == 3


def test_lockout_is_per_user_and_address(client, guard):
    for _ in range(5):
        sign_in(client, "/login/", "wrong", ip="10.6.6.6")

    assert sign_in(client, "/login/", PASSWORD, ip="10.1.1.1").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, guard):
    for _ in range(4):
        sign_in(client, "/login/", "wrong")
    assert sign_in(client, "/login/", PASSWORD).status_code == 302

    assert not AccessAttempt.objects.filter(username="guard", failures_since_start__gt=0).exists()


def test_token_login_answers_a_token_and_is_throttled(guard):
    api = APIClient(REMOTE_ADDR="10.1.1.1")
    assert "token" in api.post("/api/v1/auth/token", {"username": "guard", "password": PASSWORD}).json()

    for _ in range(5):
        assert api.post("/api/v1/auth/token", {"username": "guard", "password": "no"}).status_code == 400
    locked = api.post("/api/v1/auth/token", {"username": "guard", "password": PASSWORD})

    assert locked.status_code == 429
    assert "token" not in locked.json() and locked["Retry-After"]
