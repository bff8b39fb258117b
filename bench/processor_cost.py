"""What the processor costs per event, in-process: no HTTP, no load generator.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_proc \\
        .venv/bin/python bench/processor_cost.py --events 3000 [--profile]

Creates the database if needed, migrates it and loads the demo site, stores ``--events``
pushes of the seed's mixed scenario (3 intrusions, 1 line crossing, 4 occupancy changes,
2 gate plate reads per 10) as queued events, then drains them in the calling process and
prints events/s, CPU ms per event and queries per event. ``--profile`` prints the top of
a cProfile of the drain.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
os.environ["EVENT_PROCESSING"] = "queued"
os.environ.setdefault("LOG_LEVEL", "WARNING")


def ensure_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def mixed_pushes(count: int):
    """(body, content type, sender address) in the peer's mixed cycle."""
    from cameras import simulator

    plates = (f"{a}{b}K{n:04d}" for n in itertools.count(1) for a, b in [("A", "B")])
    occupancy = itertools.cycle(["regionEntrance", "regionEntrance", "regionExiting", "regionEntrance"])
    cycle = ["field", "occ", "gate", "field", "occ", "line", "occ", "gate", "field", "occ"]
    gates = itertools.cycle(["192.168.1.104", "192.168.1.105"])
    plate = next(plates)
    for i in range(count):
        kind = cycle[i % len(cycle)]
        if kind == "field":
            body, ctype = simulator.build("fielddetection", zone="restricted-vip")
            yield body, ctype, "192.168.1.101"
        elif kind == "line":
            body, ctype = simulator.build("linedetection", zone="no-parking-zone")
            yield body, ctype, "192.168.1.101"
        elif kind == "occ":
            body, ctype = simulator.build(next(occupancy), zone="parking-row-A")
            yield body, ctype, "192.168.1.103"
        else:
            ip = next(gates)
            if ip.endswith("104"):
                plate = next(plates)
            body, ctype = simulator.build("anpr", plate=plate)
            yield body, ctype, ip


def store(count: int) -> None:
    from cameras.ingest import Push, receive_push

    for body, ctype, ip in mixed_pushes(count):
        receive_push(Push(body=body, content_type=ctype, source_ip=ip))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--batch", type=int, default=0, help="events per batch (EVENT_BATCH_SIZE; default: the setting)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is dropped and created)")
    ensure_database(url)
    if args.batch:
        os.environ["EVENT_BATCH_SIZE"] = str(args.batch)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo", password="bench-only-pass", stdout=open(os.devnull, "w"))
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from cameras import processing
    from cameras.models import CameraEvent

    store(args.events)
    queued = CameraEvent.objects.queued().count()
    reset_queries()
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        if profiler:
            profiler.enable()
        done = processing.drain()
        if profiler:
            profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    failed = CameraEvent.objects.filter(status=CameraEvent.Status.FAILED).count()
    print(f"queued {queued}, processed {done}, failed {failed}, batch {settings.EVENT_BATCH_SIZE}")
    print(
        f"{done / wall:.0f} events/s; {cpu / done * 1000:.2f} ms CPU per event; "
        f"{len(queries) / done:.2f} queries per event; load {os.getloadavg()}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
