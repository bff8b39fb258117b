"""Four processor workers against one: the same backlog drained by real Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/processor_scaling.py --events 4000 --rounds 2

Each run: a fresh database with the demo site plus eight more cameras (so the events
spread over the partitions), ``--events`` mixed pushes stored as queued events, then
``celery -A damanat worker -Q events --concurrency N`` started and every partition woken;
the time until nothing is queued is the drain time. Runs alternate 1 and 4 workers.
Prints events/s per run, the ratio, and checks that the results are exact: each zone's
count equals a replay of its stored events and every event was processed once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
os.environ["EVENT_PROCESSING"] = "queued"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")

from processor_cost import ensure_database  # noqa: E402

CAMERAS = 8


def prepare(url: str, events: int) -> None:
    ensure_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--password", "bench-only-pass"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([sys.executable, __file__, "--store", str(events)], cwd=ROOT, check=True)
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()  # no wake-up left over


def store(count: int) -> None:
    import django

    django.setup()
    from cameras import simulator, wakeups
    from cameras.ingest import Push, receive_push
    from cameras.models import Camera
    from parking.models import Zone

    wakeups.wake = lambda partition: None  # the backlog waits; the timed run wakes it

    for n in range(CAMERAS):
        camera, _ = Camera.objects.get_or_create(
            code=f"CAM-S{n}", defaults={"name": f"Scale {n}", "ip_address": f"10.30.0.{n + 1}"}
        )
        Zone.objects.get_or_create(camera=camera, code="row", defaults={"capacity": 50})
        Zone.objects.get_or_create(camera=camera, code="vip", defaults={"kind": Zone.Kind.RESTRICTED})
    kinds = ["regionEntrance", "regionEntrance", "fielddetection", "regionExiting"]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        body = simulator.region_event_xml(kind, "vip" if kind == "fielddetection" else "row")
        receive_push(Push(body=body, content_type="application/xml", source_ip=f"10.30.0.{i % CAMERAS + 1}"))


def wait_until_ready(timeout: float = 120) -> None:
    """Start the clock only once the worker answers: booting is not draining."""
    from damanat.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not app.control.ping(timeout=1):
        time.sleep(0.2)
    time.sleep(1)  # the pool's processes finish importing


def drain_with(concurrency: int) -> float:
    import django

    django.setup()
    from django.db import connection
    from stack import processor_commands

    from cameras import processing, wakeups
    from cameras.models import CameraEvent

    env = {**os.environ, "PROCESSOR_CONCURRENCY": str(concurrency)}
    worker = subprocess.Popen(
        processor_commands(env)[0], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_ready()
        started = time.monotonic()
        for partition in processing.waiting_partitions():
            wakeups.send(partition, force=True)
        while CameraEvent.objects.queued().exists():
            time.sleep(0.05)
        elapsed = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(30)
        connection.close()
    return elapsed


def check_exact() -> str:
    import django

    django.setup()
    from cameras.models import CameraEvent
    from parking.models import OccupancyChange, Zone

    counts: dict = {}
    region_events = ["regionEntrance", "regionExiting"]
    for event in CameraEvent.objects.filter(
        camera__code__startswith="CAM-S", event_type__in=region_events
    ).order_by("id"):
        key = (event.camera_id, event.region_id)
        counts[key] = max(counts.get(key, 0) + (1 if event.event_type == "regionEntrance" else -1), 0)
    wrong = [
        key
        for key, count in counts.items()
        if Zone.objects.get(camera_id=key[0], code=key[1]).current_count != count
    ]
    twice = CameraEvent.objects.exclude(attempts=1).count()
    ledger = OccupancyChange.objects.filter(camera_event__camera__code__startswith="CAM-S").count()
    expected = CameraEvent.objects.filter(
        camera__code__startswith="CAM-S", event_type__in=["regionEntrance", "regionExiting"]
    ).count()
    ok = not wrong and not twice and ledger == expected
    return "exact" if ok else f"NOT EXACT: zones {wrong}, attempts!=1: {twice}, ledger {ledger}/{expected}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--store", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--drain", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.store:
        return store(args.store)
    if args.drain:
        print(f"{drain_with(args.drain):.3f}")
        print(check_exact())
        return None
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and created)")
    print(f"load at start {os.getloadavg()}")
    rates: dict[int, list[float]] = {1: [], 4: []}
    for round_ in range(args.rounds):
        for concurrency in (1, 4):
            prepare(url, args.events)
            out = subprocess.run(
                [sys.executable, __file__, "--drain", str(concurrency)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split("\n")
            rate = args.events / float(out[0])
            rates[concurrency].append(rate)
            print(f"round {round_ + 1}, {concurrency} worker(s): {rate:.0f} events/s, {out[1]}")
    one, four = statistics.median(rates[1]), statistics.median(rates[4])
    print(f"median: 1 worker {one:.0f} ev/s, 4 workers {four:.0f} ev/s, ratio {four / one:.2f}")
    print(f"load at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
