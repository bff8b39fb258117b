"""Exponential backoff for transient failures, computed the way Celery's retry_backoff does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from celery.utils.time import get_exponential_backoff_interval


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` quick retries; after them the row fails (``fail_when_exhausted``)
    or keeps waiting at the backoff for the sweep, so an outage delays and loses nothing."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 600.0
    fail_when_exhausted: bool = True

    def delay_for(self, attempt: int) -> timedelta:
        """Wait after the ``attempt``-th failed attempt (1-based): base, 2·base, 4·base … capped."""
        seconds = get_exponential_backoff_interval(self.base_delay, max(0, attempt - 1), self.max_delay)
        return timedelta(seconds=seconds)

    def gives_up_after(self, attempt: int) -> bool:
        return self.fail_when_exhausted and attempt >= self.max_attempts

    def requeues_after(self, attempt: int) -> bool:
        """Whether a retry task is queued with a countdown (else the sweep takes the row)."""
        return attempt < self.max_attempts
