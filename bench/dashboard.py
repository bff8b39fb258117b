"""Dashboard server time with 200 zones, 1,000 open alerts and a million visits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages \\
        .venv/bin/python bench/dashboard.py [--visits 1000000] [--runs 30]

Migrates the database, fills it once (skipped when the figures are already there):
20 cameras with 10 zones each over 5 floors, 1,000 open alerts, one million visits
(and their two million gate passages) spread over the last year, a few hundred cars
inside. Then renders the dashboard page and its live fragment in-process, as a signed-in
guard, and prints median / p95 / max server time and the number of SQL queries.
Bar: under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts.models import Alert  # noqa: E402
from anpr.models import Visit  # noqa: E402
from cameras.models import Camera  # noqa: E402
from damanat.roles import SECURITY_STAFF  # noqa: E402
from parking.models import Floor, Zone  # noqa: E402

BAR_MS = 150


def fill_site(zones: int, alerts: int) -> None:
    if Zone.objects.count() >= zones and Alert.objects.active().count() >= alerts:
        return
    floors = [
        Floor.objects.get_or_create(name=f"Bench floor {n}", defaults={"level": n, "total_slots": 400})[0]
        for n in range(5)
    ]
    now = timezone.now()
    cameras = [
        Camera.objects.get_or_create(
            code=f"BENCH-{n:02d}",
            defaults={"ip_address": f"10.9.0.{n + 1}", "last_seen_at": now if n % 4 else None},
        )[0]
        for n in range(20)
    ]
    Zone.objects.bulk_create(
        [
            Zone(
                camera=cameras[n // 10],
                code=f"bench-{n}",
                name=f"Zone {n}",
                floor=floors[n % 5],
                capacity=20 + n % 30,
                current_count=n % 35,
            )
            for n in range(zones)
        ],
        ignore_conflicts=True,
    )
    zone_ids = list(Zone.objects.values_list("id", flat=True))
    Alert.objects.bulk_create(
        [
            Alert(
                kind=Alert.Kind.VIOLATION,
                severity=["low", "medium", "high", "critical"][n % 4],
                zone_id=zone_ids[n % len(zone_ids)],
                title=f"Bench alert {n}",
                group_key=f"bench-{n}",
                first_seen_at=now,
                last_seen_at=now,
            )
            for n in range(alerts)
        ]
    )


def fill_visits(visits: int) -> None:
    """Visits and gate passages generated in SQL: a million rows in seconds."""
    if Visit.objects.count() >= visits:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO anpr_gatepassage (gate, plate, raw_plate, match, category, occurred_at,
                                          local_date, last_read_at, reads, created_at)
            SELECT CASE WHEN n %% 2 = 0 THEN 'entry' ELSE 'exit' END, 'BEN' || (n %% 90000),
                   'BEN' || (n %% 90000), 'exact', 'visitor', t, (t AT TIME ZONE 'Asia/Riyadh')::date,
                   t, 1, now()
            FROM (SELECT n, now() - (n * interval '15.7 seconds') AS t
                  FROM generate_series(1::bigint, %s) AS n) AS s""",
            [visits * 2],
        )
        cursor.execute(
            """
            INSERT INTO anpr_visit (plate, category, status, entered_at, exited_at, entry_date,
                                    exit_date, duration_seconds, exit_match, close_note)
            SELECT 'BEN' || (n %% 90000), 'visitor',
                   CASE WHEN n <= 300 THEN 'open' ELSE 'closed' END,
                   t, CASE WHEN n <= 300 THEN NULL ELSE t + d END,
                   (t AT TIME ZONE 'Asia/Riyadh')::date,
                   CASE WHEN n <= 300 THEN NULL ELSE ((t + d) AT TIME ZONE 'Asia/Riyadh')::date END,
                   CASE WHEN n <= 300 THEN NULL ELSE extract(epoch FROM d)::int END, 'exact', ''
            FROM (SELECT n, now() - (n * interval '31.4 seconds') AS t,
                         (600 + (n * 7919) %% 20000) * interval '1 second' AS d
                  FROM generate_series(1::bigint, %s) AS n) AS s""",
            [visits],
        )
        cursor.execute("ANALYZE anpr_visit; ANALYZE anpr_gatepassage; ANALYZE alerts_alert;")


def time_page(client: Client, url: str, runs: int) -> tuple[list[float], int]:
    client.get(url)  # warm caches, templates, connection
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return timings, len(queries)


def report(name: str, timings: list[float], queries: int) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "OK" if p95 < BAR_MS else "OVER THE BAR"
    print(
        f"{name:<22} median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {ordered[-1]:6.1f} ms   {queries} queries   {verdict} (bar {BAR_MS} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zones", type=int, default=200)
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill_site(args.zones, args.alerts)
    fill_visits(args.visits)
    print(
        f"data: {Zone.objects.count()} zones, {Alert.objects.active().count()} open alerts, "
        f"{Visit.objects.count():,} visits, {Camera.objects.count()} cameras "
        f"(filled in {time.perf_counter() - started:.1f} s)"
    )
    guard, _ = User.objects.get_or_create(username="bench-guard")
    guard.groups.add(Group.objects.get(name=SECURITY_STAFF))
    client = Client()
    client.force_login(guard)
    for name, url in [("dashboard page", "/"), ("dashboard live update", "/dashboard/live")]:
        report(name, *time_page(client, url, args.runs))


if __name__ == "__main__":
    main()
