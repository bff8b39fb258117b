"""One attempt at sending a claimed row, and what it leaves on the row."""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .errors import Result, TransportError
from .models import OutboxRow
from .queueing import BrokerBreaker, retry_later
from .retry import RetryPolicy

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)


class Settled(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    REFUSED = "refused"  # a permanent failure: retrying cannot help
    EXHAUSTED = "exhausted"  # transient failures until the policy gave up


@dataclass(frozen=True)
class Attempt:
    started: datetime
    duration_ms: int
    result: Result | None = None
    error: TransportError | None = None


def attempt(send: Callable[[], Result], what: str = "") -> Attempt:
    """Call ``send`` once and time it; an unexpected error counts as a transient failure,
    so a bug never leaves the row claimed."""
    started, clock = timezone.now(), time.monotonic()
    try:
        result = send()
    except TransportError as exc:
        return Attempt(started, _elapsed_ms(clock), error=exc)
    except Exception as exc:  # noqa: BLE001
        logger.exception("%s failed unexpectedly", what or "outbound attempt")
        return Attempt(started, _elapsed_ms(clock), error=TransportError(f"{type(exc).__name__}: {exc}"))
    return Attempt(started, _elapsed_ms(clock), result=result)


def settle(
    row: OutboxRow,
    tried: Attempt,
    policy: RetryPolicy,
    task: Task,
    *,
    now: datetime | None = None,
    breaker: BrokerBreaker | None = None,
    **fields: Any,
) -> Settled:
    """Record the attempt on the row; a transient failure is retried at the policy's backoff
    (``task`` retried with that countdown while the policy allows quick retries). The row
    says when it is due, so a retry that never arrives is sent by the sweep."""
    if tried.error is None:
        row.record_sent(tried.result.status_code, **fields)
        return Settled.SENT
    error, code = str(tried.error), tried.error.status_code
    if tried.error.permanent or policy.gives_up_after(row.attempts):
        row.record_failed(error, code, **fields)
        return Settled.REFUSED if tried.error.permanent else Settled.EXHAUSTED
    delay = policy.delay_for(row.attempts)
    row.retry_at((now or timezone.now()) + delay, error, code, **fields)
    if policy.requeues_after(row.attempts):
        retry_later(task, row.pk, delay.total_seconds(), breaker=breaker)
    return Settled.RETRY


def _elapsed_ms(clock: float) -> int:
    return int((time.monotonic() - clock) * 1000)
