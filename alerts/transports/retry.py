"""Exponential backoff for transient transport failures."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from . import Result, TransportError


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 600.0

    def delay_for(self, attempt: int) -> timedelta:
        """Wait after the ``attempt``-th failed attempt (1-based): base, 2·base, 4·base … capped."""
        return timedelta(seconds=min(self.max_delay, self.base_delay * 2 ** max(0, attempt - 1)))

    def gives_up_after(self, attempt: int) -> bool:
        return attempt >= self.max_attempts


def send_with_retries(send: Callable[..., Result], target, payload: dict, event_id: str,
                      policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep) -> Result:
    """Call ``send`` until it succeeds, fails permanently, or the policy gives up."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return send(target, payload, event_id)
        except TransportError as exc:
            if exc.permanent or policy.gives_up_after(attempt):
                raise
            sleep(policy.delay_for(attempt).total_seconds())
