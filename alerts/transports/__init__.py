"""Outbound transports: send one JSON payload to one target, for alerts and exporters alike.

Each kind has a module with a target dataclass and ``send``::

    from alerts.transports import TransportError, webhook

    target = webhook.WebhookTarget(url="http://10.0.0.5/hook", secret="s3cret", timeout=5)
    try:
        result = webhook.send(target, {"plate": "ABC123"}, event_id="plate-event-42")
    except TransportError as exc:
        if exc.permanent:   # 4xx, bad configuration: retrying will not help
            ...
        else:               # timeout, refused, 5xx: retry later with backoff
            ...

``send`` makes one attempt and returns a ``Result`` (status code, detail, duration) or
raises ``TransportError(message, permanent=...)``. The same ``event_id`` must be passed
on every retry of the same payload so receivers can drop duplicates.

- ``webhook.send(WebhookTarget, payload, event_id)``: HTTP POST of the JSON body, signed
  with HMAC-SHA256 (``X-Damanat-Signature: sha256=<hex of HMAC(secret, body)>``), the
  event id in ``X-Damanat-Event-Id``; optional bearer/basic auth and extra headers.
- ``mqtt.send(MqttTarget, payload, event_id)``: publish with QoS 1 and wait for the ack.
- ``email.send(EmailTarget, payload, event_id)``: Django's mail backend, subject, text and
  HTML from templates rendered in the target's language with the payload as context.

Retrying: ``retry.RetryPolicy`` gives the exponential backoff (``delay_for(attempt)``);
``retry.send_with_retries(send, target, payload, event_id, policy)`` retries transient
failures in-process (for short policies). Alert deliveries instead retry through Celery
so a worker is never blocked (see ``alerts.fanout``).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status_code = status_code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Result:
    status_code: int | None = None
    detail: str = ""
    duration_ms: int = 0


def transport_for(kind: str) -> ModuleType:
    """The transport module for a channel kind (webhook, email, mqtt)."""
    from . import email, mqtt, webhook

    registry = {"webhook": webhook, "email": email, "mqtt": mqtt}
    try:
        return registry[kind]
    except KeyError:
        raise TransportError(f"no transport for kind {kind!r}", permanent=True)
