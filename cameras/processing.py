"""Queued processing: store the push, answer the camera, run the handlers just after.

With ``EVENT_PROCESSING=queued`` the webhook's work is one INSERT and a commit; events
wait as ``queued`` and one drainer at a time (a PostgreSQL advisory lock) runs their
handlers in id order, so a plate's entry is always handled before its exit.

The drainer is ``manage.py process_events``, woken by PostgreSQL NOTIFY the moment a push
commits — no broker in the path, so a Redis outage never stalls counting. A Celery beat
sweep drains too, as a safety net when the processor is down.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from .models import CameraEvent

logger = logging.getLogger(__name__)
ADVISORY_LOCK_ID = 0x44414D41  # "DAMA": one event drainer in the whole installation
POLL_SECONDS = 0.2
NOTIFY_EVERY_SECONDS = 0.05

NOTIFY_CHANNEL = "damanat_events"


def queued_mode() -> bool:
    return settings.EVENT_PROCESSING == "queued"


_last_notify = 0.0


def notify_processor() -> None:
    """Inside the push's transaction: PostgreSQL delivers the NOTIFY when it commits.

    A burst needs one wake-up, not one per push: within NOTIFY_EVERY_SECONDS a push
    relies on the processor, which looks again after every drain and every POLL_SECONDS.
    """
    global _last_notify
    now = time.monotonic()
    if connection.vendor != "postgresql" or now - _last_notify < NOTIFY_EVERY_SECONDS:
        return
    _last_notify = now
    with connection.cursor() as cursor:
        cursor.execute(f"NOTIFY {NOTIFY_CHANNEL}")


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


def drain(batch_size: int = 200, limit: int | None = None, stop=lambda: False) -> int:
    """Process queued events in id order until none is left (or ``stop()`` says so between
    two events); return how many were processed."""
    from .ingest import process_event

    done = 0
    while not stop():
        with single_drainer() as held:
            if not held:
                return done
            while batch := _next_batch(batch_size):
                for event in batch:
                    if stop():
                        return done
                    process_event(event)
                    done += 1
                if limit is not None and done >= limit:
                    return done
        # A push that committed while the lock was being released would wait for the
        # sweep; look once more before leaving.
        if not CameraEvent.objects.queued().exists():
            return done
    return done


def wait_for_pushes(listener, timeout: float) -> None:
    """Block until a push is announced on ``listener`` (a LISTENing psycopg connection)."""
    if listener is None:
        time.sleep(min(timeout, POLL_SECONDS))
        return
    for _ in listener.notifies(timeout=min(timeout, POLL_SECONDS), stop_after=1):
        break


def open_listener():
    """A separate autocommit connection LISTENing for pushes; None off PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    import psycopg

    params = connection.get_connection_params()
    listener = psycopg.connect(**params, autocommit=True)
    listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
    return listener
