"""Where and how to send, as a notification channel or an exporter describes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from damanat.outbox.errors import Result


@dataclass(frozen=True)
class Destination:
    """Each transport builds its own target from the fields it needs.

    ``url`` is the webhook URL or ``mqtt://host:port``; ``topic_prefix`` is followed by the
    subject (an alert kind, an export kind) in the MQTT topic.
    """

    url: str = ""
    timeout: float = 5.0
    secret: str = ""
    bearer_token: str = ""
    basic_auth: tuple[str, str] | None = None
    username: str = ""
    password: str = ""
    topic_prefix: str = ""
    recipients: tuple[str, ...] = ()
    language: str = "en"


class Transport(Protocol):
    kind: str

    def target(self, destination: Destination, subject: str) -> Any: ...

    def send(self, target: Any, payload: dict, event_id: str) -> Result: ...
