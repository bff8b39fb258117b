"""Queued processing: the webhook stores and answers; Celery workers apply the rules in batches.

With ``EVENT_PROCESSING=queued`` a push is one INSERT: the event waits as ``queued`` with
a partition number. Events whose order matters to each other share a partition: a
camera's events (its zones' counts, its rules' cooldowns) by default, and whatever key an
app registers for its event types (anpr puts every plate read in one partition, so a
plate's entry is handled before its exit whatever gate or misread it came through).

A worker claims the partitions with waiting events (its own first, up to
EVENT_BATCH_PARTITIONS) with transaction-level advisory locks, reads their oldest queued
events, hands them to every handler as one batch (``dispatch.run_batch``) and marks them
done, all in that one transaction: a worker killed mid-batch leaves nothing behind, and
the next one redoes the batch. A batch that fails is rolled back and retried
one event at a time, so only the bad event is marked failed. Other partitions go on in
other workers at the same time; there is no global lock. The row in the database is the
queue's truth: the Celery task only says "look at partition p", and a beat sweep sends it
for every partition with waiting events, so a broker outage delays and loses nothing.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, JSONField, Value, When
from django.utils import timezone

from . import dispatch
from .models import Camera, CameraEvent

logger = logging.getLogger(__name__)
LOCK_CLASS = 0x44414D41  # "DAMA": the advisory lock space of event partitions

_partition_keys: dict[str, Callable[[CameraEvent], str]] = {}


def queued_mode() -> bool:
    return settings.EVENT_PROCESSING == "queued"


def register_partition_key(event_types: Iterable[str], key: Callable[[CameraEvent], str]) -> None:
    """Events of these types are partitioned by ``key(event)`` instead of by camera."""
    for event_type in event_types:
        _partition_keys[event_type.lower()] = key


def partition_of(event: CameraEvent) -> int:
    key_of = _partition_keys.get(event.event_type.lower())
    key = key_of(event) if key_of else f"camera:{event.camera_id or event.source_ip}"
    return zlib.crc32(key.encode()) % settings.EVENT_PARTITIONS


def process_batch(partition: int | None = None, size: int | None = None) -> int:
    """Apply the rules to the oldest queued events of the partitions this worker can claim
    (``_claim``), in one transaction. Partitions are independent, so one batch may span
    several: the fixed cost of a batch (its transaction, the lookups of each handler) is
    then paid once for all of them, not once per camera. Returns how many events were
    processed.
    """
    with transaction.atomic():
        claimed = _claim(partition)
        if not claimed:
            return 0
        events = list(
            CameraEvent.objects.queued()
            .filter(partition__in=claimed)
            .order_by("id")[: size or settings.EVENT_BATCH_SIZE]
        )
        if events:
            _attach_cameras(events)
            _apply(events)
    return len(events)


def _attach_cameras(events: Sequence[CameraEvent]) -> None:
    """One Camera instance per camera of the batch, not one per event: each costs the
    decryption of its credentials."""
    cameras = Camera.objects.in_bulk({event.camera_id for event in events if event.camera_id})
    for event in events:
        event.camera = cameras.get(event.camera_id)


def drain_partition(
    partition: int | None, budget_seconds: float | None = None, linger_seconds: float | None = None
) -> tuple[int, bool]:
    """Process batches, ``partition`` first, until nothing claimable waits or the time budget
    is spent.

    Returns (events processed, whether events may be left: the caller schedules more).
    """
    budget = settings.EVENT_DRAIN_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    linger = settings.EVENT_BATCH_LINGER_SECONDS if linger_seconds is None else linger_seconds
    deadline = time.monotonic() + budget
    done = 0
    while count := process_batch(partition):
        done += count
        if time.monotonic() > deadline:
            return done, True
        if count < settings.EVENT_BATCH_SIZE and linger:
            # A short batch means the queue is keeping up: let the next one gather events,
            # so the fixed cost of a batch is paid over more of them (and the web has the CPU).
            time.sleep(linger)
    return done, False


def drain() -> int:
    """Process every queued event now (``process_events``, tests); what running workers
    hold is left to them."""
    return drain_partition(None, budget_seconds=float("inf"), linger_seconds=0)[0]


def waiting_partitions(older_than: float = 0.0) -> list[int]:
    """Partitions with queued events received at least ``older_than`` seconds ago."""
    events = CameraEvent.objects.queued()
    if older_than:
        events = events.filter(received_at__lte=timezone.now() - timedelta(seconds=older_than))
    return sorted(set(events.values_list("partition", flat=True)))


def handle_one(event: CameraEvent) -> dict[str, str]:
    """Run the handlers not yet done on one event, each in a savepoint, and record the
    outcome; {handler: error} for those that failed."""
    errors = dispatch.run_handlers(event)
    finish(event, errors)
    return errors


def finish(event: CameraEvent, errors: dict[str, str]) -> None:
    status = CameraEvent.Status.FAILED if errors else CameraEvent.Status.ACCEPTED
    reason = "; ".join(f"{name}: {error}" for name, error in errors.items())
    event.status, event.reason, event.processed_at = status, reason, timezone.now()
    CameraEvent.objects.filter(pk=event.pk).update(
        status=status,
        reason=reason,
        processed_at=event.processed_at,
        handled_by=event.handled_by,
        attempts=F("attempts") + 1,
    )


# The waiting partitions no other worker holds, the worker's own first then the longest
# waiting; at most half of them (rounded up), so a second worker woken meanwhile finds the
# other half free.
CLAIM_SQL = """
    WITH waiting AS MATERIALIZED (
        SELECT partition, row_number() OVER (ORDER BY bool_or(partition = %(own)s) DESC, min(id)) AS n,
               count(*) OVER () AS free
        FROM cameras_cameraevent e WHERE status = %(queued)s AND NOT EXISTS (
            SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objsubid = 2
               AND l.classid = %(lock_class)s::bigint::oid AND l.objid = e.partition::oid)
        GROUP BY partition),
    wanted AS MATERIALIZED (
        SELECT partition FROM waiting WHERE n <= LEAST(%(most)s, ceil(free / 2.0)))
    SELECT partition FROM wanted WHERE pg_try_advisory_xact_lock(%(lock_class)s, partition)"""


def _claim(partition: int | None) -> list[int]:
    """Lock, until the transaction ends, the waiting partitions this batch will take."""
    wanted = settings.EVENT_BATCH_PARTITIONS
    if connection.vendor != "postgresql":  # SQLite has one writer at a time anyway
        waiting = waiting_partitions()
        return sorted(waiting, key=lambda p: p != partition)[: min(wanted, (len(waiting) + 1) // 2)]
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            {
                "own": -1 if partition is None else partition,
                "most": wanted,
                "queued": CameraEvent.Status.QUEUED,
                "lock_class": LOCK_CLASS,
            },
        )
        claimed = [row[0] for row in cursor.fetchall()]
        if claimed and not settings.EVENT_BATCH_SYNCHRONOUS_COMMIT:
            # The batch is derived from events already stored durably: lost in a database
            # crash, it is lost whole, the events are still queued and it is done again.
            cursor.execute("SET LOCAL synchronous_commit = off")
    return claimed


def _apply(events: Sequence[CameraEvent]) -> None:
    handled = {event.pk: list(event.handled_by) for event in events}
    try:
        with transaction.atomic():
            dispatch.run_batch(events)
            _mark_done(events)
    except Exception:  # noqa: BLE001 — isolate the bad event: its neighbours must not fail
        logger.warning("batch of %d events failed; retrying them one at a time", len(events), exc_info=True)
        for event in events:
            event.handled_by = handled[event.pk]
            with transaction.atomic():
                handle_one(event)


def _mark_done(events: Sequence[CameraEvent]) -> None:
    """One UPDATE for the batch, whatever mix of handlers its events went through."""
    now = timezone.now()
    by_handlers: dict[tuple, list[int]] = defaultdict(list)
    for event in events:
        event.status, event.reason, event.processed_at = CameraEvent.Status.ACCEPTED, "", now
        by_handlers[tuple(event.handled_by)].append(event.pk)
    handled_by = Case(
        *[
            When(pk__in=pks, then=Value(list(names), output_field=JSONField()))
            for names, pks in by_handlers.items()
        ]
    )
    CameraEvent.objects.filter(pk__in=[event.pk for event in events]).update(
        status=CameraEvent.Status.ACCEPTED,
        reason="",
        processed_at=now,
        handled_by=handled_by,
        attempts=F("attempts") + 1,
    )
