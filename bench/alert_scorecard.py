#!/usr/bin/env python
"""The alert quality scorecard over 30 days of closed alerts on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scorecard \\
        .venv/bin/python bench/alert_scorecard.py [--alerts 100000] [--runs 5] [--drop]

Creates the database when missing, migrates it, loads 20 cameras with 5 zones each, two
detector services and ALERTS alerts over the last 30 days (generated in SQL: kinds,
outcomes, acknowledge and resolve times, 8 guards), then times ``scorecard()`` (every
table, the guards and the suggestions) and GET /api/v1/alerts/scorecard in-process.
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
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

from parking_queries import drop_database, ensure_database  # noqa: E402

CAMERAS, ZONES_PER_CAMERA, GUARDS = 20, 5, 8

ALERTS_SQL = """
INSERT INTO alerts_alert (kind, severity, status, camera_id, zone_id, plate, event_type, title,
    description, group_key, first_seen_at, last_seen_at, occurrences, acknowledged_by_id, acknowledged_at,
    resolved_by_id, resolved_at, resolution_note, outcome, created_at, updated_at, assigned_to_id)
SELECT k.kind, 'medium',
       CASE WHEN o.outcome = 'false_positive' THEN 'false_positive' ELSE 'resolved' END,
       z.camera_id, z.id, '', '', 'bench alert', '', k.kind || '|' || z.camera_id || '|' || z.id || '|',
       t.first, t.first + interval '5 seconds', 1, g.id, t.first + (random() * 300) * interval '1 second',
       g.id, t.first + (300 + random() * 3000) * interval '1 second', '', o.outcome, t.first, t.first, NULL
FROM generate_series(1, %(n)s) AS s(i)
CROSS JOIN LATERAL (SELECT now() - (random() * 30) * interval '1 day' AS first) t
CROSS JOIN LATERAL (SELECT id, camera_id FROM parking_zone WHERE code LIKE 'bench-%%'
                    ORDER BY id OFFSET (s.i %% %(zones)s) LIMIT 1) z
CROSS JOIN LATERAL (SELECT (ARRAY['intrusion','violation','suspicious_activity','occupancy_full'])
                    [1 + s.i %% 4] AS kind) k
CROSS JOIN LATERAL (SELECT (ARRAY['true','true','true','false_positive','duplicate','duplicate','test'])
                    [1 + (s.i / 7) %% 7] AS outcome) o
CROSS JOIN LATERAL (SELECT id FROM auth_user WHERE username LIKE 'bench-guard-%%'
                    ORDER BY id OFFSET (s.i %% %(guards)s) LIMIT 1) g
"""


def load(alerts: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from alerts.models import Alert
    from cameras.models import Camera
    from detectors.models import Detector
    from parking.models import Zone

    if Alert.objects.filter(title="bench alert").count() >= alerts:
        return
    cameras = [
        Camera.objects.get_or_create(
            code=f"BENCH-{n:02d}", defaults={"ip_address": f"10.98.0.{n}", "role": Camera.Role.PERIMETER}
        )[0]
        for n in range(1, CAMERAS + 1)
    ]
    Zone.objects.bulk_create(
        [
            Zone(camera=camera, code=f"bench-{camera.pk}-{n}", kind=Zone.Kind.RESTRICTED)
            for camera in cameras
            for n in range(ZONES_PER_CAMERA)
        ],
        ignore_conflicts=True,
    )
    for n in range(2):
        detector, _ = Detector.objects.get_or_create(
            email=f"bench-{n}@example.test",
            defaults={"name": f"Bench detector {n}", "allowed_ip": "127.0.0.1"},
        )
        detector.cameras.set(cameras[n::2])
    for n in range(GUARDS):
        get_user_model().objects.get_or_create(username=f"bench-guard-{n}")
    with connection.cursor() as cursor:
        cursor.execute(ALERTS_SQL, {"n": alerts, "zones": CAMERAS * ZONES_PER_CAMERA, "guards": GUARDS})
        cursor.execute("ANALYZE alerts_alert")


def timed(call, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    load(args.alerts)

    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from alerts.models import Alert
    from alerts.scorecard import scorecard

    setup_test_environment()
    card = scorecard()
    print(
        f"alerts in 30 days: {Alert.objects.count()}; suggestions: {len(card.suggestions)}; "
        f"e.g. {card.suggestions[:1]}"
    )
    for name, call in [("scorecard()", scorecard)]:
        ms = timed(call, args.runs)
        print(f"{name}: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms over {args.runs} runs")
    client = APIClient()
    client.force_authenticate(
        get_user_model().objects.filter(is_superuser=True).first()
        or get_user_model().objects.create_superuser("bench-admin")
    )
    ms = timed(lambda: client.get("/api/v1/alerts/scorecard", HTTP_HOST="127.0.0.1"), args.runs)
    print(f"GET /api/v1/alerts/scorecard: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms")
    print("load:", open("/proc/loadavg").read().strip())
    if args.drop:
        drop_database()


if __name__ == "__main__":
    main()
