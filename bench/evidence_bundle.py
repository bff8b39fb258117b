#!/usr/bin/env python
"""Evidence bundle of a realistic case: its size, the time to export it and to verify it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_evidence \\
        .venv/bin/python bench/evidence_bundle.py [--runs 5] [--keep]

Recreates the database, migrates it, and pushes three intrusion events into a restricted
zone through the real camera webhook (multipart, a ~300 KB JPEG each), which the rules
group into one alert. Then exports that alert's bundle RUNS times (PDF in both languages,
raw bodies, pictures, audit trail, manifest, Ed25519 signature, legal holds) and verifies
the archive RUNS times as ``manage.py verify_bundle`` does. Media go to a temporary folder;
the database is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-evidence-media-"))

from parking_queries import drop_database, ensure_database  # noqa: E402


def timed(call, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def summary(name: str, ms: list[float]) -> str:
    return f"{name}: median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    drop_database()
    ensure_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    setup_test_environment()
    from cameras.models import EventPicture
    from evidence.exporting import export_bundle
    from evidence.tests.factories import alert_with_three_events
    from evidence.verify import verify_bundle

    alert, _documents = alert_with_three_events(Client())
    pictures = list(EventPicture.objects.values_list("size", flat=True))
    print(
        f"case: alert #{alert.pk} ({alert.kind}), {alert.occurrences} occurrences, "
        f"{len(pictures)} pictures of {', '.join(f'{s / 1024:.0f}' for s in pictures)} KB"
    )
    supervisor = get_user_model().objects.create_user("bench-supervisor")
    ms, export = timed(lambda: export_bundle(alert, by=supervisor), args.runs)
    print(summary("export (bundle written, signed, stored, case held)", ms))
    print(
        f"bundle size: {export.size} bytes ({export.size / 1024:.0f} KB), "
        f"pictures {sum(pictures) / 1024:.0f} KB of it"
    )
    ms, verdict = timed(lambda: verify_bundle(export.file.path), args.runs)
    outcome = "verified" if verdict.ok else verdict.problem
    print(summary(f"verify in process ({verdict.files} files, {outcome})", ms))
    command = [sys.executable, str(ROOT / "manage.py"), "verify_bundle", export.file.path]
    ms, answer = timed(
        lambda: subprocess.run(command, capture_output=True, text=True, env=os.environ), min(args.runs, 3)
    )
    print(summary(f"manage.py verify_bundle, process start included ({answer.stdout.strip()})", ms))
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if not args.keep:
        drop_database()


if __name__ == "__main__":
    main()
