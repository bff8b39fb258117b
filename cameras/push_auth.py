"""Credentials on camera pushes: Basic or Digest (MD5), when a camera has them set.

Hikvision devices answer a Digest challenge (``httpAuthenticationMethod=MD5digest``);
others send Basic. Nonces are stateless: a timestamp signed with SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

from django.conf import settings

REALM = "damanat-events"
NONCE_LIFETIME_SECONDS = 300
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison that also accepts non-ASCII input (compare_digest on str does not)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _sign(stamp: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), stamp.encode(), hashlib.sha256).hexdigest()[:32]


def new_nonce(now: float | None = None) -> str:
    stamp = str(int(now if now is not None else time.time()))
    return base64.b64encode(f"{stamp}:{_sign(stamp)}".encode()).decode()


def _nonce_valid(nonce: str, now: float) -> bool:
    try:
        stamp, signature = base64.b64decode(nonce).decode().split(":", 1)
        age = now - int(stamp)
    except (ValueError, UnicodeDecodeError):
        return False
    return _same(signature, _sign(stamp)) and 0 <= age <= NONCE_LIFETIME_SECONDS


def challenge() -> str:
    return f'Digest realm="{REALM}", qop="auth", nonce="{new_nonce()}", algorithm=MD5'


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 — Digest MD5 is the device protocol


def _digest_ok(params: dict, method: str, username: str, password: str, now: float) -> bool:
    if params.get("username") != username or params.get("realm", REALM) != REALM:
        return False
    if not _nonce_valid(params.get("nonce", ""), now):
        return False
    ha1 = _md5(f"{username}:{REALM}:{password}")
    ha2 = _md5(f"{method}:{params.get('uri', '')}")
    if params.get("qop"):
        expected = _md5(
            f"{ha1}:{params['nonce']}:{params.get('nc', '')}:{params.get('cnonce', '')}:{params['qop']}:{ha2}"
        )
    else:
        expected = _md5(f"{ha1}:{params['nonce']}:{ha2}")
    return _same(params.get("response", ""), expected)


def _basic_ok(token: str, username: str, password: str) -> bool:
    try:
        user, _, secret = base64.b64decode(token).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    return _same(user, username) and _same(secret, password)


def verify(header: str, method: str, username: str, password: str, now: float | None = None) -> bool:
    """True when the Authorization header carries the camera's push credentials."""
    scheme, _, rest = (header or "").partition(" ")
    if scheme.lower() == "basic":
        return _basic_ok(rest.strip(), username, password)
    if scheme.lower() == "digest":
        params = {m[0]: m[1] or m[2] for m in _PARAM.findall(rest)}
        return _digest_ok(params, method, username, password, now or time.time())
    return False
