"""HTTP webhook: a signed JSON POST.

Receivers verify ``X-Damanat-Signature`` = ``sha256=`` + hex HMAC-SHA256 of the raw body
with the shared secret, and drop repeats of ``X-Damanat-Event-Id``. 2xx is success; 408,
429, 5xx, timeouts and refused connections are transient; other answers are permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.core.serializers.json import DjangoJSONEncoder

from damanat.outbound import destination_allowed
from damanat.outbox.errors import Result, TransportError

from .base import Destination

SIGNATURE_HEADER = "X-Damanat-Signature"
EVENT_ID_HEADER = "X-Damanat-Event-Id"
TIMESTAMP_HEADER = "X-Damanat-Timestamp"
TRANSIENT_STATUSES = {408, 425, 429}
USER_AGENT = "Damanat-Webhook/1.0"


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str = ""
    timeout: float = 5.0
    bearer_token: str = ""
    basic_auth: tuple[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature or "")


def encode(payload: dict) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def build_headers(target: WebhookTarget, body: bytes, event_id: str) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(int(time.time())),
        **target.headers,
    }
    if target.secret:
        headers[SIGNATURE_HEADER] = sign(target.secret, body)
    if target.bearer_token:
        headers["Authorization"] = f"Bearer {target.bearer_token}"
    return headers


def send(target: WebhookTarget, payload: dict, event_id: str) -> Result:
    if not target.url.startswith(("http://", "https://")):
        raise TransportError(f"not an http(s) URL: {target.url!r}", permanent=True)
    if not destination_allowed(urlsplit(target.url).hostname or ""):
        raise TransportError("destination outside OUTBOUND_ALLOWED_NETWORKS; nothing sent", permanent=True)
    body = encode(payload)
    started = time.monotonic()
    try:
        response = requests.post(
            target.url,
            data=body,
            headers=build_headers(target, body, event_id),
            auth=target.basic_auth,
            timeout=target.timeout,
            allow_redirects=False,
        )
    except requests.Timeout:
        raise TransportError(f"timed out after {target.timeout:g}s")
    except requests.ConnectionError as exc:
        raise TransportError(f"connection failed: {_short(exc)}")
    except requests.RequestException as exc:
        raise TransportError(f"request invalid: {_short(exc)}", permanent=True)
    duration = int((time.monotonic() - started) * 1000)
    return _judge(response, duration)


def _judge(response: requests.Response, duration_ms: int) -> Result:
    code = response.status_code
    if 200 <= code < 300:
        return Result(code, "delivered", duration_ms)
    message = f"HTTP {code}: {response.text[:200]}".strip()
    transient = code >= 500 or code in TRANSIENT_STATUSES
    raise TransportError(message, permanent=not transient, status_code=code)


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


class WebhookTransport:
    kind = "webhook"
    send = staticmethod(send)

    @staticmethod
    def target(destination: Destination, subject: str) -> WebhookTarget:
        return WebhookTarget(
            url=destination.url,
            secret=destination.secret,
            timeout=destination.timeout,
            bearer_token=destination.bearer_token,
            basic_auth=destination.basic_auth,
        )
