"""Outbound transports: send one JSON payload to one target, for alerts and exporters alike.

Each kind has a module with a target dataclass, ``send`` and a transport class whose
``target(destination, subject)`` builds the target from a ``Destination``::

    from alerts.transports import Destination, TransportError, send

    destination = Destination(url="http://10.0.0.5/hook", secret="s3cret", timeout=5)
    try:
        result = send("webhook", destination, "plate_read", {"plate": "ABC123"}, "plate-event-42")
    except TransportError as exc:
        if exc.permanent:   # 4xx, bad configuration: retrying will not help
            ...
        else:               # timeout, refused, 5xx: retry later with backoff
            ...

``send`` makes one attempt and returns a ``Result`` (status code, detail, duration) or
raises ``TransportError(message, permanent=...)``. The same ``event_id`` must be passed
on every retry of the same payload so receivers can drop duplicates.

- webhook: HTTP POST of the JSON body, signed with HMAC-SHA256 (``X-Damanat-Signature:
  sha256=<hex of HMAC(secret, body)>``), the event id in ``X-Damanat-Event-Id``; optional
  bearer/basic auth and extra headers.
- mqtt: publish with QoS 1 to ``<topic_prefix>/<subject>`` and wait for the ack.
- email: Django's mail backend, subject, text and HTML from templates rendered in the
  target's language with the payload as context.

Retries are the outbox's (``damanat.outbox``): a row per message, retried through Celery
with backoff, so a worker is never blocked.
"""

from __future__ import annotations

from damanat.outbox.errors import Result, TransportError

from .base import Destination, Transport
from .email import EmailTransport
from .mqtt import MqttTransport
from .webhook import WebhookTransport

__all__ = ["Destination", "Result", "Transport", "TransportError", "send", "transport_for"]

TRANSPORTS: dict[str, Transport] = {
    t.kind: t for t in (WebhookTransport(), EmailTransport(), MqttTransport())
}


def transport_for(kind: str) -> Transport:
    """The transport for a channel or exporter kind (webhook, email, mqtt)."""
    try:
        return TRANSPORTS[kind]
    except KeyError:
        raise TransportError(f"no transport for kind {kind!r}", permanent=True)


def send(kind: str, destination: Destination, subject: str, payload: dict, event_id: str) -> Result:
    transport = transport_for(kind)
    return transport.send(transport.target(destination, subject), payload, event_id)
