"""Benchmark: the rule backtest over 30 days of one million stored camera events.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_backtest \
        .venv/bin/python bench/backtest_scale.py [--events 1000000] [--days 30]

Creates the database if missing, migrates, and fills it once in SQL (INSERT … SELECT over
generate_series): 8 cameras with 4 zones each (restricted, no parking, staff only, a
parking row with a capacity), events spread over the last 30 days — field detections,
line crossings, region entrances and exits, vehicles and people. Then runs three backtests
the way the Celery worker does (``run_backtest``, progress written every chunk) and prints
each one's time, rows replayed per second and what the draft and current rule raised:

- the cooldown of every zone (every zone-rule event of the period);
- one zone made staff-only (that zone's events);
- one parking row's zone-full threshold (its entrances and exits).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

CAMERAS = 8
ZONES = ["restricted", "no_parking", "staff_only", "parking"]
# The columns that vary, as SQL over g (the row number); the others take the model default.
VARYING = {
    "camera_id": "(SELECT id FROM cameras_camera WHERE code = 'BT-' || (g %% {cameras}))",
    "received_at": "now() - ({days} * 86400.0 * g / {events}) * interval '1 second'",
    "trigger_time": "now() - ({days} * 86400.0 * g / {events}) * interval '1 second'",
    # Region events come in waves of entrances then exits, so parking rows fill and empty.
    "event_type": "(ARRAY['fielddetection','fielddetection','linedetection', CASE WHEN (g / 5000) %% 2 = 0 "
    "THEN 'regionEntrance' ELSE 'regionExiting' END])[1 + (g / 7) %% 4]",
    "event_state": "'active'",
    "region_id": "(ARRAY['restricted','no_parking','staff_only','parking'])[1 + (g / 3) %% 4]",
    "detection_target": "CASE WHEN g %% 7 = 0 THEN 'human' ELSE 'vehicle' END",
    "status": "'accepted'",
    "processed_at": "now()",
}


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def site() -> None:
    from cameras.models import Camera
    from parking.models import Zone

    for n in range(CAMERAS):
        camera, _ = Camera.objects.get_or_create(code=f"BT-{n}", defaults={"ip_address": f"10.9.0.{n + 1}"})
        for kind in ZONES:
            Zone.objects.get_or_create(
                camera=camera,
                code=kind,
                defaults={
                    "name": f"{camera.code} {kind}",
                    "kind": kind,
                    "counted_targets": ["vehicle"],
                    "capacity": 40 if kind == "parking" else None,
                },
            )


def fill(events: int, days: int) -> None:
    from django.db import connection

    from cameras.models import CameraEvent

    have = CameraEvent.objects.count()
    if have >= events:
        print(f"{have:,} events already present")
        return
    columns, values, params = [], [], []
    for field in CameraEvent._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.attname in VARYING:
            values.append(VARYING[field.attname].format(cameras=CAMERAS, days=days, events=events))
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO cameras_cameraevent ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series({events}, 1, -1) AS g"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cameras_cameraevent RESTART IDENTITY CASCADE")
        cursor.execute(sql, params)
        cursor.execute("VACUUM ANALYZE cameras_cameraevent")
    print(f"filled {events:,} events over {days} days in {time.perf_counter() - started:.1f} s")


def backtest(rule: str, zone=None, **changes):
    from alerts.backtest import run_backtest
    from alerts.models import BacktestRun

    run = BacktestRun.objects.create(rule=rule, zone=zone, days=30, params={"changes": changes})
    started = time.perf_counter()
    run_backtest(run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.DONE, run.error
    return run, seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("set DATABASE_URL=postgres://... (a database of its own: it is filled)")
        return 2
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from alerts.models import Alert
    from parking.models import Zone

    call_command("migrate", verbosity=0)
    site()
    fill(args.events, args.days)
    alerts_before = Alert.objects.count()
    print(f"{'backtest':<34} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'draft':>7} {'current':>8}")
    for name, rule, zone, changes in [
        ("cooldown 30 s -> 300 s, all zones", "zone", None, {"cooldown_seconds": 300}),
        (
            "BT-3 parking -> staff only",
            "zone",
            Zone.objects.get(camera__code="BT-3", code="parking"),
            {"kind": "staff_only"},
        ),
        (
            "BT-3 parking full at 50 %",
            "capacity",
            Zone.objects.get(camera__code="BT-3", code="parking"),
            {"threshold": 0.5},
        ),
    ]:
        run, seconds = backtest(rule, zone, **changes)
        totals = run.results["totals"]
        print(
            f"{name:<34} {run.progress_total:>9,} {seconds:>8.1f} {run.progress_total / seconds:>9,.0f} "
            f"{totals['draft']:>7,} {totals['current']:>8,}"
        )
    assert Alert.objects.count() == alerts_before, "a backtest wrote an alert"
    print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
