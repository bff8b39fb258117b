"""Push credentials: 401 with a Digest challenge, Basic and Digest answers accepted."""

from __future__ import annotations

import base64
import hashlib
import re
import time

import pytest

from cameras import push_auth
from cameras.models import CameraEvent

from .conftest import WEBHOOK, payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_handlers", "at_fixture_day")]
USER, PASSWORD = "pusher", "S3cret-push-Pa55"


def push(client, authorization: str | None = None, body: bytes | None = None):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return client.post(
        WEBHOOK,
        data=body or payload("isapi_ver20_fielddetection.xml"),
        content_type="application/xml",
        REMOTE_ADDR="192.168.1.102",
        **extra,
    )


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def digest(
    challenge: str,
    user: str = USER,
    password: str = PASSWORD,
    uri: str = WEBHOOK,
    method: str = "POST",
    qop: bool = True,
) -> str:
    """What a camera computes from our challenge (RFC 7616, MD5)."""
    params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    ha1 = md5(f"{user}:{params['realm']}:{password}")
    ha2 = md5(f"{method}:{uri}")
    if qop:
        response = md5(f"{ha1}:{params['nonce']}:00000001:0a4f113b:auth:{ha2}")
        tail = 'qop=auth, nc=00000001, cnonce="0a4f113b"'
    else:
        response = md5(f"{ha1}:{params['nonce']}:{ha2}")
        tail = ""
    header = (
        f'Digest username="{user}", realm="{params["realm"]}", nonce="{params["nonce"]}", '
        f'uri="{uri}", response="{response}", algorithm=MD5'
    )
    return f"{header}, {tail}" if tail else header


def test_missing_credentials_get_401_with_a_digest_challenge(client, camera_with_push_credentials):
    response = push(client)
    assert response.status_code == 401
    assert response.json()["status"] == "unauthorized"
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith('Digest realm="damanat-events"')
    assert 'qop="auth"' in challenge and "nonce=" in challenge
    assert CameraEvent.objects.count() == 0
    camera_with_push_credentials.refresh_from_db()
    assert camera_with_push_credentials.last_seen_at is None


@pytest.mark.parametrize(
    "authorization",
    [
        basic(USER, "wrong"),
        basic("someone", PASSWORD),
        "Basic !!!not-base64",
        "Bearer abc",
        "Basic " + base64.b64encode("pusher:pässwörd".encode()).decode(),
        'Digest username="pusher", realm="damanat-events", nonce="ÿÿ", uri="/", response="é"',
        'Digest username="pusher", realm="other", nonce="x", uri="/", response="0"',
    ],
)
def test_wrong_credentials_get_401_and_are_not_processed(client, camera_with_push_credentials, authorization):
    response = push(client, authorization)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response
    assert CameraEvent.objects.count() == 0


def test_correct_basic_is_accepted(client, camera_with_push_credentials):
    response = push(client, basic(USER, PASSWORD))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert CameraEvent.objects.get().camera == camera_with_push_credentials


@pytest.mark.parametrize("qop", [True, False])
def test_correct_digest_answer_to_our_challenge_is_accepted(client, camera_with_push_credentials, qop):
    challenge = push(client)["WWW-Authenticate"]
    response = push(client, digest(challenge, qop=qop))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_digest_with_wrong_password_or_method_is_refused(client, camera_with_push_credentials):
    challenge = push(client)["WWW-Authenticate"]
    assert push(client, digest(challenge, password="nope")).status_code == 401
    assert push(client, digest(challenge, method="GET")).status_code == 401


def test_expired_or_forged_nonce_is_refused(camera_with_push_credentials):
    old = push_auth.new_nonce(now=time.time() - push_auth.NONCE_LIFETIME_SECONDS - 5)
    stale = f'Digest realm="damanat-events", qop="auth", nonce="{old}", algorithm=MD5'
    forged_nonce = base64.b64encode(f"{int(time.time())}:{'0' * 32}".encode()).decode()
    forged = f'Digest realm="damanat-events", qop="auth", nonce="{forged_nonce}", algorithm=MD5'
    for challenge in (stale, forged):
        assert not push_auth.verify(digest(challenge), "POST", USER, PASSWORD)
    fresh = push_auth.challenge()
    assert push_auth.verify(digest(fresh), "POST", USER, PASSWORD)


def test_cameras_without_push_credentials_need_none(client, camera):
    response = client.post(
        WEBHOOK,
        data=payload("isapi_ver20_fielddetection.xml"),
        content_type="application/xml",
        REMOTE_ADDR="192.168.1.103",
    )
    assert response.status_code == 200


def test_undecryptable_push_password_is_refused_not_a_500(client, camera_with_push_credentials, settings):
    settings.FIELD_ENCRYPTION_KEY = "a-different-key-than-the-one-used-to-store"
    response = push(client, basic(USER, PASSWORD))
    assert response.status_code == 401
    assert CameraEvent.objects.count() == 0


def test_oversized_push_without_credentials_is_401_not_stored(client, camera_with_push_credentials):
    response = push(client, body=b"<a>" + b"x" * (2 * 1024 * 1024))
    assert response.status_code == 401
    assert CameraEvent.objects.count() == 0
    assert push(client, basic(USER, PASSWORD), body=b"<a>" + b"x" * (2 * 1024 * 1024)).status_code == 413
