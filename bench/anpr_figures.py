"""Benchmark: the parking figures endpoints over one million visits on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/damanat_bench \
        .venv/bin/python bench/anpr_figures.py [--visits 1000000] [--runs 30]

Creates the database if missing, migrates, fills it once (a year of visits: two gate
passages per visit, categories mixed, ~1% still open), then times each endpoint through
the full Django stack (test client, authenticated, permissions checked) and prints the
first request, the median and 95th percentile in milliseconds. Bar: every median under
50 ms. Finished days are kept in DayFigure (the hourly task keeps them in production);
``--cold`` clears them first so the first request shows the cost of computing them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

DAYS = 365
FIRST_DAY = "2025-11-21"

FILL_SQL = """
CREATE TEMP TABLE bench_visit AS
SELECT g AS n,
       (TIMESTAMP '{first} 06:00' + ((g % {days}) || ' days')::interval
         + ((random() * 13 * 3600)::int || ' seconds')::interval) AT TIME ZONE 'Asia/Riyadh'
         AS entered_at,
       (300 + (random() * random() * 36000))::int AS seconds,
       (ARRAY['employee','employee','visitor','contractor','vip','unknown'])[1 + (g % 6)]
         AS category,
       'B' || lpad((g % 900000)::text, 6, '0') AS plate,
       g % 100 = 0 AS still_open
FROM generate_series(1, {visits}) AS g;

INSERT INTO anpr_gatepassage (gate, plate, raw_plate, confidence, match, category, occurred_at,
                              local_date, last_read_at, reads, created_at)
SELECT 'entry', plate, plate, 90, 'none', category, entered_at,
       (entered_at AT TIME ZONE 'Asia/Riyadh')::date, entered_at, 1, entered_at
FROM bench_visit;

INSERT INTO anpr_gatepassage (gate, plate, raw_plate, confidence, match, category, occurred_at,
                              local_date, last_read_at, reads, created_at)
SELECT 'exit', plate, plate, 90, 'none', category, entered_at + seconds * interval '1 second',
       ((entered_at + seconds * interval '1 second') AT TIME ZONE 'Asia/Riyadh')::date,
       entered_at + seconds * interval '1 second', 1, entered_at
FROM bench_visit WHERE NOT still_open;

INSERT INTO anpr_visit (plate, category, status, entered_at, exited_at, entry_date, exit_date,
                        duration_seconds, exit_match, close_note)
SELECT plate, category, CASE WHEN still_open THEN 'open' ELSE 'closed' END, entered_at,
       CASE WHEN still_open THEN NULL ELSE entered_at + seconds * interval '1 second' END,
       (entered_at AT TIME ZONE 'Asia/Riyadh')::date,
       CASE WHEN still_open THEN NULL
            ELSE ((entered_at + seconds * interval '1 second') AT TIME ZONE 'Asia/Riyadh')::date END,
       CASE WHEN still_open THEN NULL ELSE seconds END,
       CASE WHEN still_open THEN 'none' ELSE 'exact' END, ''
FROM bench_visit;
"""


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def fill(visits: int) -> None:
    from django.db import connection

    from anpr.models import Visit

    have = Visit.objects.count()
    if have >= visits:
        print(f"{have:,} visits already present")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE anpr_visit, anpr_gatepassage, anpr_dayfigure RESTART IDENTITY CASCADE")
        for statement in FILL_SQL.format(first=FIRST_DAY, days=DAYS, visits=visits).split(";\n"):
            if statement.strip():
                cursor.execute(statement)
        cursor.execute("DROP TABLE bench_visit")
        cursor.execute("VACUUM ANALYZE anpr_visit")
        cursor.execute("VACUUM ANALYZE anpr_gatepassage")
    print(f"filled {visits:,} visits in {time.perf_counter() - started:.1f} s")


def client():
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True, "is_staff": True})
    browser = Client()
    browser.force_login(user)
    return browser


def measure(browser, url: str, runs: int) -> tuple[float, float, float]:
    started = time.perf_counter()
    answer = browser.get(url)
    first = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (url, answer.status_code, answer.content[:300])
    for _ in range(2):
        browser.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        browser.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return first, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--cold", action="store_true", help="forget kept day figures first (as after a fresh import)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("set DATABASE_URL=postgres://... (a database of its own: it is filled)")
        return 2
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill(args.visits)
    from anpr.models import DayFigure, GatePassage, Visit

    print(f"{Visit.objects.count():,} visits, {GatePassage.objects.count():,} passages")
    browser = client()
    day = "2026-05-20"
    endpoints = [
        ("daily", f"/api/v1/stats/daily?target_date={day}"),
        ("parking-time", f"/api/v1/stats/parking-time?target_date={day}"),
        ("count/today", "/api/v1/entry-exit/count/today"),
        ("range 31 days", "/api/v1/stats/range?date_from=2026-05-01&date_to=2026-05-31"),
        ("range 31 days csv", "/api/v1/stats/range?date_from=2026-05-01&date_to=2026-05-31&format=csv"),
        ("entry-exit latest 50", "/api/v1/entry-exit"),
        ("entry-exit plate", "/api/v1/entry-exit?plate=B000123"),
        ("range 365 days", f"/api/v1/stats/range?date_from={FIRST_DAY}&date_to=2026-11-20"),
    ]
    failed = False
    if args.cold:
        DayFigure.objects.all().delete()
        print("kept day figures cleared: first requests compute them")
    print(f"{'endpoint':<20} {'first ms':>10} {'median ms':>10} {'p95 ms':>10}")
    for name, path in endpoints:
        first, median, p95 = measure(browser, path, args.runs)
        over = median >= 50
        failed |= over
        print(f"{name:<20} {first:>10.1f} {median:>10.1f} {p95:>10.1f}{'  OVER 50 ms' if over else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
