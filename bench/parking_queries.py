#!/usr/bin/env python
"""GET /api/v1/occupancy and GET /api/v1/floors/recommended with 200 zones and a year of
5-minute snapshots on PostgreSQL (the bar: under 50 ms each).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_parking \\
        .venv/bin/python bench/parking_queries.py [--runs 300] [--drop]

Creates the database when missing, migrates it, loads 10 cameras, 8 floors (half counting
their zones, half their own vision events), 200 zones and one snapshot per zone and floor
every 5 minutes for 365 days (~21.9 million rows, generated in SQL), then times the
requests through Django's full stack (middleware, token authentication, model
permissions, DRF) in-process, so the figures are server time without the network.
Also times /occupancy/history for one zone (24 h) and for the facility (7 days).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

ZONES, FLOORS, CAMERAS, DAYS = 200, 8, 10, 365
BAR_MS = 50.0


def ensure_database() -> None:
    import environ
    import psycopg

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if not config["ENGINE"].endswith("postgresql"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (it is created when missing)")
    dsn = dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**dsn) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def drop_database() -> None:
    import environ
    import psycopg
    from django.db import connections

    connections.close_all()
    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
    print(f"dropped {config['NAME']}")


def load_site() -> None:
    from cameras.models import Camera
    from parking.models import Floor, Zone

    if Zone.objects.filter(code__startswith="bench-").count() == ZONES:
        return
    rng = random.Random(4)
    cameras = [
        Camera.objects.get_or_create(
            code=f"BENCH-{n:02d}", defaults={"ip_address": f"10.99.0.{n}", "role": Camera.Role.INDOOR}
        )[0]
        for n in range(1, CAMERAS + 1)
    ]
    floors = [
        Floor.objects.get_or_create(
            name=f"Bench level {n}",
            defaults={
                "level": n,
                "total_slots": 300,
                "count_source": Floor.CountSource.ZONES if n % 2 else Floor.CountSource.EVENTS,
                "current_vehicles": rng.randint(0, 300),
            },
        )[0]
        for n in range(FLOORS)
    ]
    Zone.objects.bulk_create(
        [
            Zone(
                camera=cameras[n % CAMERAS],
                code=f"bench-{n:03d}",
                name=f"Bench row {n}",
                floor=floors[n % FLOORS],
                capacity=20,
                current_count=rng.randint(0, 24),
            )
            for n in range(ZONES)
        ],
        ignore_conflicts=True,
    )


def load_snapshots() -> int:
    """A year of 5-minute snapshots for every zone and floor, generated inside PostgreSQL."""
    from django.db import connection

    from parking.models import OccupancySnapshot

    expected = (DAYS * 288) * (ZONES + FLOORS)
    if OccupancySnapshot.objects.count() >= expected:
        return expected
    started = time.perf_counter()
    series = (
        f"generate_series(date_trunc('hour', now()) - interval '{DAYS} days', "
        "date_trunc('hour', now()) - interval '5 minutes', interval '5 minutes')"
    )
    insert = "INSERT INTO parking_occupancysnapshot (taken_at, zone_id, floor_id, count, capacity)"
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE parking_occupancysnapshot")
        cursor.execute(f"""{insert}
            SELECT t, z.id, NULL, (random() * z.capacity)::int, z.capacity
            FROM {series} AS t CROSS JOIN parking_zone z""")
        cursor.execute(f"""{insert}
            SELECT t, NULL, f.id, (random() * f.total_slots)::int, f.total_slots
            FROM {series} AS t CROSS JOIN parking_floor f""")
        cursor.execute("ANALYZE parking_occupancysnapshot")
    print(f"loaded {expected:,} snapshots in {time.perf_counter() - started:.0f} s")
    return expected


def bench_user_token() -> str:
    from django.contrib.auth.models import Permission, User
    from rest_framework.authtoken.models import Token

    user, _ = User.objects.get_or_create(username="bench-dashboard")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="parking",
            codename__in=["view_zone", "view_floor", "view_occupancysnapshot"],
        )
    )
    return Token.objects.get_or_create(user=user)[0].key


def time_get(client, url: str, token: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    for _ in range(10):
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, **headers)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, len(queries), len(response.content)


def report(label: str, timings: list[float], queries: int, size: int, bar: float | None) -> bool:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    verdict = "" if bar is None else (f"  OK (< {bar:.0f} ms)" if p95 < bar else "  OVER THE BAR")
    print(
        f"{label:<46} median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  "
        f"max {ordered[-1]:6.2f} ms  {queries} queries  {size:,} bytes{verdict}"
    )
    return bar is None or p95 < bar


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
    args = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    load_site()
    snapshots = load_snapshots()
    token = bench_user_token()
    client = Client()
    from parking.models import Zone

    zone = Zone.objects.filter(code__startswith="bench-").first()

    print(
        f"PostgreSQL, {Zone.objects.count()} zones, {snapshots:,} snapshot rows, {args.runs} runs each, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    ok = all(
        [
            report("GET /api/v1/occupancy", *time_get(client, "/api/v1/occupancy", token, args.runs), BAR_MS),
            report(
                "GET /api/v1/floors/recommended",
                *time_get(client, "/api/v1/floors/recommended", token, args.runs),
                BAR_MS,
            ),
            report("GET /api/v1/floors", *time_get(client, "/api/v1/floors", token, args.runs), BAR_MS),
            report(
                "GET /api/v1/occupancy/history (zone, 24 h)",
                *time_get(client, f"/api/v1/occupancy/history?zone_id={zone.pk}", token, args.runs),
                None,
            ),
            report(
                "GET /api/v1/occupancy/history (facility, 7 d)",
                *time_get(client, "/api/v1/occupancy/history?hours=168", token, min(args.runs, 50)),
                None,
            ),
        ]
    )
    if args.drop:
        drop_database()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
