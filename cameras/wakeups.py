"""Telling the processor workers that a partition has new events, without slowing the push.

The webhook calls ``wake(partition)`` after a queued event commits; that only notes the
partition. A thread of the web process sends, every ``EVENT_WAKE_COALESCE_SECONDS``, one
``cameras.process_partition`` task per partition noted, so a burst of 500 pushes is a
handful of task messages, not 500. A flag in Redis (``SET NX``) spares a second message
while a worker is still waiting for or draining the partition; the worker lowers it once
the partition is empty, then looks once more. A lost
message, a dead worker or a broker outage is put right by the beat sweep, which looks at
the database itself.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

from damanat.celery import task_named

if TYPE_CHECKING:
    import redis
from damanat.outbox.queueing import enqueue

logger = logging.getLogger(__name__)
FLAG = "damanat:events:wake:{}"
FLAG_SECONDS = 10  # a flag whose message was lost lets the next push wake again after this

_pending: set[int] = set()
_changed = threading.Condition()
_thread_pid: int | None = None


def wake(partition: int) -> None:
    with _changed:
        _pending.add(partition)
        _ensure_thread()
        _changed.notify()


def send(partition: int, *, force: bool = False) -> bool:
    """Queue the partition's task now unless one is already waiting (``force``: anyway)."""
    process_partition = task_named("cameras.process_partition")

    if not force and not _raise_flag(partition):
        return False
    if not enqueue(process_partition, partition):  # broker down: the events wait for the sweep
        _lower_flag(partition)
        return False
    return True


def lowered(partition: int) -> None:
    """A worker drained the partition: the next new event may wake it again."""
    _lower_flag(partition)


def _ensure_thread() -> None:
    global _thread_pid
    if _thread_pid != os.getpid():  # first use, or a forked worker that has no thread yet
        _thread_pid = os.getpid()
        threading.Thread(target=_send_forever, name="event-wakeups", daemon=True).start()


def _send_forever() -> None:
    while True:
        with _changed:
            while not _pending:
                _changed.wait()
        time.sleep(settings.EVENT_WAKE_COALESCE_SECONDS)
        with _changed:
            partitions = sorted(_pending)
            _pending.clear()
        for partition in partitions:
            send(partition)


@cache
def _redis() -> redis.Redis | None:
    url = settings.EVENT_WAKE_REDIS_URL
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _raise_flag(partition: int) -> bool:
    client = _redis()
    if client is None:
        return True
    try:
        return bool(client.set(FLAG.format(partition), 1, nx=True, ex=FLAG_SECONDS))
    except Exception:  # noqa: BLE001 — without the flag, a duplicate message costs little
        return True


def _lower_flag(partition: int) -> None:
    client = _redis()
    if client is None:
        return
    try:
        client.delete(FLAG.format(partition))
    except Exception:  # noqa: BLE001
        logger.debug("wake flag of partition %s not cleared", partition)
