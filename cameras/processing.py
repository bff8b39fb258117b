"""Queued processing: store the push, answer the camera, run the handlers just after.

With ``EVENT_PROCESSING=queued`` the webhook's work is one INSERT and a commit; events
wait as ``queued`` and one drainer at a time (a PostgreSQL advisory lock) runs their
handlers in id order, so a plate's entry is always handled before its exit. The drainer
is kicked through Celery shortly after a push commits, and a beat sweep catches anything
a lost kick left behind (a broker outage delays processing, it never loses an event).
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from .models import CameraEvent

logger = logging.getLogger(__name__)
ADVISORY_LOCK_ID = 0x44414D41  # "DAMA": one event drainer in the whole installation
KICK_DELAY_SECONDS = 0.05

_kick_lock = threading.Lock()
_kick_pending = False


def queued_mode() -> bool:
    return settings.EVENT_PROCESSING == "queued"


def kick_drainer() -> None:
    """Ask a worker to drain soon; a burst of pushes sends one kick (trailing edge)."""
    global _kick_pending
    with _kick_lock:
        if _kick_pending:
            return
        _kick_pending = True
    timer = threading.Timer(KICK_DELAY_SECONDS, _send_kick)
    timer.daemon = True
    timer.start()


def _send_kick() -> None:
    global _kick_pending
    with _kick_lock:
        _kick_pending = False
    from .tasks import drain_queued_events

    try:
        drain_queued_events.apply_async(ignore_result=True)
    except Exception as exc:  # noqa: BLE001 — broker down: the beat sweep drains later
        logger.warning("event drainer not kicked (%s); the sweep will process queued events",
                       type(exc).__name__)


@contextmanager
def single_drainer():
    """True inside when this process holds the drainer lock (always True off PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_ID])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_ID])


def _next_batch(size: int) -> list[CameraEvent]:
    return list(CameraEvent.objects.queued().select_related("camera").order_by("id")[:size])


def drain(batch_size: int = 200, limit: int | None = None) -> int:
    """Process queued events in id order until none is left; return how many were processed."""
    from .ingest import process_event

    done = 0
    while True:
        with single_drainer() as held:
            if not held:
                return done
            while batch := _next_batch(batch_size):
                for event in batch:
                    process_event(event)
                done += len(batch)
                if limit is not None and done >= limit:
                    return done
        # A push that committed while the lock was being released would wait for the
        # sweep; look once more before leaving.
        if not CameraEvent.objects.queued().exists():
            return done


def run_after_commit() -> None:
    transaction.on_commit(kick_drainer)
