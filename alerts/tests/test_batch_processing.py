"""Batch processing on PostgreSQL: order, exactness, isolation, SIGKILL, several workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from alerts.models import Alert
from cameras import dispatch, processing, simulator
from cameras.ingest import Push, receive_push
from cameras.models import Camera, CameraEvent
from cameras.tests.conftest import make_camera
from damanat.testing import database_url, use_celery_broker, wait_until
from parking.models import OccupancyChange, Zone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def queued(settings):
    settings.EVENT_PROCESSING = "queued"
    settings.EVENT_BATCH_SIZE = 10
    settings.INTRUSION_COOLDOWN_SECONDS = 24 * 3600


@pytest.fixture
def no_wakeups(monkeypatch):
    from cameras import wakeups

    monkeypatch.setattr(wakeups, "wake", lambda partition: None)


def site(cameras: int = 2):
    """Cameras with a parking zone (capacity 5) and a restricted zone each."""
    made = []
    for n in range(cameras):
        camera = make_camera(f"CAM-B{n}", f"10.20.0.{n + 1}")
        Zone.objects.create(camera=camera, code="row", capacity=5)
        Zone.objects.create(camera=camera, code="vip", kind=Zone.Kind.RESTRICTED)
        made.append(camera)
    return made


def push(camera, event_type: str, zone: str, moment):
    body = simulator.region_event_xml(event_type, zone, "vehicle", moment)
    return receive_push(Push(body=body, content_type="application/xml", source_ip=camera.ip_address))


def traffic(cameras, rounds: int):
    """Per camera a fixed mix: entries, exits past zero, intrusions, in event-time order."""
    start = timezone.now() - timedelta(hours=2)
    pattern = [
        "regionExiting",
        "regionEntrance",
        "regionEntrance",
        "fielddetection",
        "regionEntrance",
        "regionExiting",
        "regionExiting",
        "regionExiting",
        "regionEntrance",
        "fielddetection",
    ]
    n = 0
    for _ in range(rounds):
        for kind in pattern:
            for camera in cameras:
                zone = "vip" if kind == "fielddetection" else "row"
                push(camera, kind, zone, start + timedelta(seconds=n))
                n += 1


def replayed_counts() -> dict[int, int]:
    """Every zone's count, replaying the stored region events in arrival order."""
    counts: dict[int, int] = {}
    zones = {(z.camera_id, z.code): z.pk for z in Zone.objects.all()}
    for event in CameraEvent.objects.filter(event_type__in=["regionEntrance", "regionExiting"]).order_by(
        "id"
    ):
        pk = zones[(event.camera_id, event.region_id)]
        step = 1 if event.event_type == "regionEntrance" else -1
        counts[pk] = max(counts.get(pk, 0) + step, 0)
    return counts


def assert_exact():
    assert CameraEvent.objects.exclude(status=CameraEvent.Status.ACCEPTED).count() == 0
    assert set(CameraEvent.objects.values_list("attempts", flat=True)) == {1}
    for pk, count in replayed_counts().items():
        assert Zone.objects.get(pk=pk).current_count == count
    region_events = CameraEvent.objects.filter(event_type__in=["regionEntrance", "regionExiting"])
    assert OccupancyChange.objects.filter(camera_event__isnull=False).count() == region_events.count()
    # Intrusions repeat inside the cooldown: one alert per camera, every repeat counted once.
    intrusions = CameraEvent.objects.filter(event_type="fielddetection").count()
    assert Alert.objects.count() == Camera.objects.filter(code__startswith="CAM-B").count()
    assert sum(Alert.objects.values_list("occurrences", flat=True)) == intrusions


def test_batches_keep_arrival_order_and_equal_a_replay(queued, no_wakeups):
    traffic(site(2), rounds=3)
    assert processing.drain() == 60
    assert_exact()
    row = Zone.objects.get(camera__code="CAM-B0", code="row")
    # -1 (clamped), +1, +1, +1, -1, -1, -1, +1 per round: 0 1 2 3 2 1 0 1, three times over.
    assert list(row.changes.order_by("id").values_list("count_after", flat=True))[:8] == [
        0,
        1,
        2,
        3,
        2,
        1,
        0,
        1,
    ]


def test_a_failing_event_fails_alone_and_can_be_reprocessed(queued, no_wakeups, monkeypatch):
    camera = site(1)[0]
    start = timezone.now() - timedelta(hours=1)
    ids = [push(camera, "regionEntrance", "row", start + timedelta(seconds=n)).event_id for n in range(5)]
    bad = ids[2]
    fixed = []

    def picky(events):
        if not fixed and any(event.pk == bad for event in events):
            raise LookupError(f"event {bad} names a zone with no floor")

    monkeypatch.setitem(
        dispatch._handlers, "test.picky", dispatch.Handler("test.picky", picky, frozenset({"regionentrance"}))
    )
    assert processing.drain() == 5

    statuses = dict(CameraEvent.objects.values_list("pk", "status"))
    assert statuses.pop(bad) == CameraEvent.Status.FAILED
    assert set(statuses.values()) == {CameraEvent.Status.ACCEPTED}
    assert "test.picky: LookupError" in CameraEvent.objects.get(pk=bad).reason
    assert Zone.objects.get(code="row").current_count == 5  # its count still ran, once

    fixed.append(True)
    from django.core.management import call_command

    call_command("reprocess_events", stdout=open(os.devnull, "w"))
    assert CameraEvent.objects.get(pk=bad).status == CameraEvent.Status.ACCEPTED
    assert Zone.objects.get(code="row").current_count == 5
    assert OccupancyChange.objects.count() == 5


KILLED_MID_BATCH = """
import os, pathlib, time, django
django.setup()
from contextlib import contextmanager
from cameras import dispatch, processing

@contextmanager
def stall():
    yield
    pathlib.Path(os.environ["MARK"]).write_text("in the batch")  # handlers done, not committed
    time.sleep(60)

dispatch.register_batch_scope(stall)
processing.drain()
"""


def test_a_processor_killed_mid_batch_leaves_nothing_and_the_next_does_it_once(queued, no_wakeups, tmp_path):
    traffic(site(2), rounds=2)
    connection.close()
    mark = tmp_path / "mark"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EVENT_PROCESSING": "queued",
        "EVENT_BATCH_SIZE": "10",
        "INTRUSION_COOLDOWN_SECONDS": "86400",
        "MARK": str(mark),
        "DJANGO_SETTINGS_MODULE": "damanat.settings",
    }
    victim = subprocess.Popen([sys.executable, "-c", KILLED_MID_BATCH], cwd=ROOT, env=env)
    try:
        assert wait_until(mark.exists, timeout=60)
        assert CameraEvent.objects.queued().count() == 40  # the batch's work is uncommitted
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
    finally:
        victim.kill()
    assert OccupancyChange.objects.count() == 0 and Alert.objects.count() == 0
    assert processing.drain() == 40
    assert_exact()


def test_four_workers_share_the_partitions_exactly(queued, settings, redis_url):
    settings.EVENT_PARTITIONS = 8
    use_celery_broker(redis_url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    cameras = site(8)
    connection.close()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EVENT_PROCESSING": "queued",
        "EVENT_BATCH_SIZE": "10",
        "EVENT_PARTITIONS": "8",
        "INTRUSION_COOLDOWN_SECONDS": "86400",
        "CELERY_BROKER_URL": redis_url,
        "EVENT_WAKE_REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }
    workers = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "damanat",
            "worker",
            "-Q",
            "events",
            "--concurrency",
            "4",
            "--loglevel",
            "WARNING",
            "-n",
            "processor-test@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        traffic(cameras, rounds=3)  # 240 pushes; each wakes its partition's worker
        assert len({e.partition for e in CameraEvent.objects.all()}) > 1
        assert wait_until(lambda: not CameraEvent.objects.queued().exists(), timeout=90)
    finally:
        workers.terminate()
        workers.wait(20)
    assert_exact()


def _record_transactions(monkeypatch) -> dict[int, int]:
    """A handler noting, per event, the database transaction it ran in."""
    seen: dict[int, int] = {}

    def note(events):
        with connection.cursor() as cursor:
            cursor.execute("SELECT txid_current()")
            txid = cursor.fetchone()[0]
        seen.update({event.pk: txid for event in events})

    monkeypatch.setitem(
        dispatch._handlers, "test.note", dispatch.Handler("test.note", note, frozenset({"regionentrance"}))
    )
    return seen


def test_one_batch_takes_the_waiting_events_of_several_cameras_at_once(
    queued, no_wakeups, settings, monkeypatch
):
    # A batch's fixed cost (transaction, each handler's lookups) is paid once for all cameras
    # with waiting events, not once per camera.
    settings.EVENT_PARTITIONS, settings.EVENT_BATCH_PARTITIONS = 64, 8
    cameras = site(4)
    for camera in cameras:
        push(camera, "regionEntrance", "row", timezone.now())
    seen = _record_transactions(monkeypatch)
    assert len(set(CameraEvent.objects.values_list("partition", flat=True))) == 4
    assert processing.drain() == 4
    # Half the waiting partitions a batch (2, then 1 and 1), so a second worker would find
    # the other half; still fewer transactions than cameras.
    assert len(set(seen.values())) == 3
    assert_exact_counts({c.code: 1 for c in cameras})


def test_a_partition_another_worker_holds_is_left_to_it(queued, no_wakeups, settings, monkeypatch):
    settings.EVENT_PARTITIONS, settings.EVENT_BATCH_PARTITIONS = 64, 8
    held, free = site(2)
    for camera in (held, free):
        push(camera, "regionEntrance", "row", timezone.now())
    held_partition = CameraEvent.objects.get(camera=held).partition
    assert held_partition != CameraEvent.objects.get(camera=free).partition
    import psycopg

    with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [processing.LOCK_CLASS, held_partition])
        assert processing.process_batch(None) == 1  # the free camera's event only
        assert CameraEvent.objects.get(camera=held).status == CameraEvent.Status.QUEUED
        other.rollback()
    assert processing.drain() == 1
    assert_exact_counts({held.code: 1, free.code: 1})


def assert_exact_counts(expected: dict[str, int]) -> None:
    counts = dict(Zone.objects.filter(code="row").values_list("camera__code", "current_count"))
    assert counts == expected


def test_a_batch_commits_without_waiting_for_the_log_flush(queued, no_wakeups, monkeypatch):
    seen = []

    def note(events):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])

    monkeypatch.setitem(
        dispatch._handlers, "test.note", dispatch.Handler("test.note", note, frozenset({"regionentrance"}))
    )
    push(site(1)[0], "regionEntrance", "row", timezone.now())
    assert processing.drain() == 1
    assert seen == ["off"]
    with connection.cursor() as cursor:  # only that transaction: the webhook's stores wait
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_a_task_lets_a_short_batch_gather_but_process_events_does_not_wait(
    queued, no_wakeups, settings, monkeypatch
):
    # Under load a short batch means the queue keeps up: the next one waits a moment so it
    # pays the batch's fixed cost over more events; the command drains at once.
    settings.EVENT_BATCH_LINGER_SECONDS = 0.1
    waits = []
    monkeypatch.setattr(processing.time, "sleep", waits.append)
    camera = site(1)[0]
    push(camera, "regionEntrance", "row", timezone.now())
    assert processing.drain() == 1 and waits == []
    push(camera, "regionEntrance", "row", timezone.now())
    assert processing.drain_partition(None) == (1, False)
    assert waits == [0.1]
    assert_exact_counts({camera.code: 2})
