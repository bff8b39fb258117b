"""Queue a task, or leave its row for the sweep when the broker is down.

Every caller has a row (or a flag) that says the work is still to do, so a failed
publish is logged, never raised: a broker outage must not fail the change that queued it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from celery import Task
    from django.db.models import QuerySet

logger = logging.getLogger(__name__)


class BrokerBreaker:
    """After a failed publish, skip the broker for a while: the sweep sends what waits."""

    def __init__(self, setting: str) -> None:
        self.setting = setting  # read at each trip, so tests and operators may change it
        self.retry_at = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.retry_at

    def trip(self) -> None:
        self.retry_at = time.monotonic() + getattr(settings, self.setting)

    def reset(self) -> None:
        self.retry_at = 0.0


def enqueue(
    task: Task, *args: Any, countdown: float | None = None, breaker: BrokerBreaker | None = None
) -> bool:
    """``task.apply_async(args)`` without blocking on a dead broker; False if not queued."""
    return enqueue_each(task, [args], countdown=countdown, breaker=breaker)


def enqueue_each(
    task: Task,
    calls: Iterable[tuple],
    *,
    countdown: float | None = None,
    breaker: BrokerBreaker | None = None,
) -> bool:
    """One task per argument tuple; stops at the first failed publish (the rest wait too)."""
    calls = list(calls)

    def publish() -> None:
        for args in calls:
            task.apply_async(args, countdown=countdown, retry=False)

    return _published(task, len(calls), publish, breaker)


def retry_later(task: Task, pk: int, countdown: float, *, breaker: BrokerBreaker | None = None) -> bool:
    """Queue the next try of ``task(pk)``. Inside that very task on a worker this is Celery's
    own retry of the message (same task id, its retry count and routing); anywhere else
    (a direct call, eager mode) a new message with the countdown."""
    request = task.request
    if request.called_directly or request.is_eager or list(request.args or ()) != [pk]:
        return enqueue(task, pk, countdown=countdown, breaker=breaker)
    return _published(task, 1, lambda: task.retry(countdown=countdown, throw=False), breaker)


def _published(task: Task, count: int, publish: Callable[[], object], breaker: BrokerBreaker | None) -> bool:
    if breaker is not None and breaker.is_open():
        return False
    try:
        publish()
    except Exception as exc:  # noqa: BLE001 — a broker outage must never fail the caller
        if breaker is not None:
            breaker.trip()
        logger.warning(
            "%s: %d task(s) not queued (%s: %s); left for the sweep",
            task.name,
            count,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def sweep(
    rows: QuerySet[Any],
    task: Task,
    now: datetime,
    *,
    limit: int,
    grace: timedelta = timedelta(0),
    breaker: BrokerBreaker | None = None,
) -> int:
    """Release dead workers' claims, then queue the rows due ``grace`` ago (younger ones are
    still on their way through the broker); how many were queued."""
    rows.release_stale_claims(now)
    ids = list(rows.due(now - grace).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if breaker is not None:
        breaker.reset()
    if ids and not enqueue_each(task, [(pk,) for pk in ids], breaker=breaker):
        return 0
    return len(ids)
