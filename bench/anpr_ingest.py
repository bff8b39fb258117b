"""Benchmark: plate reads through the whole ingest path (parse, store, dispatch, visit).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/damanat_bench \
        .venv/bin/python bench/anpr_ingest.py [--reads 4000]

One process, sequential: each read is a seed AccessControllerEvent or a Hikvision ANPR
XML push from the entry or exit camera, for a pool of plates (a third registered), so
passages, visits, exits and unknown-vehicle alerts are all exercised. Prints reads per
second and the per-read latency of the ingest call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=4000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from anpr.models import Vehicle, Visit
    from cameras import simulator
    from cameras.ingest import Push, receive_push
    from cameras.models import Camera

    call_command("migrate", verbosity=0)
    for code, ip, role in (
        ("BENCH-IN", "10.99.0.1", Camera.Role.ENTRY_GATE),
        ("BENCH-OUT", "10.99.0.2", Camera.Role.EXIT_GATE),
    ):
        Camera.objects.update_or_create(code=code, defaults={"ip_address": ip, "role": role})
    plates = [f"ABJ{n:04d}" for n in range(300)]
    for plate in plates[:100]:
        Vehicle.objects.get_or_create(plate=plate)
    start = timezone.now() - timedelta(hours=6)
    timings = []
    began = time.perf_counter()
    for n in range(args.reads):
        plate = plates[(n // 2) % len(plates)]
        moment = start + timedelta(seconds=5 * n)
        ip = "10.99.0.1" if n % 2 == 0 else "10.99.0.2"
        if n % 4 < 2:
            body, kind = simulator.access_controller_json(plate, moment), "application/json"
        else:
            body, kind = simulator.anpr_xml(plate, moment), "application/xml"
        t0 = time.perf_counter()
        result = receive_push(Push(body=body, content_type=kind, source_ip=ip))
        timings.append((time.perf_counter() - t0) * 1000)
        assert result.status == "accepted", result.as_json()
    elapsed = time.perf_counter() - began
    timings.sort()
    print(f"{args.reads} plate reads in {elapsed:.1f} s: {args.reads / elapsed:.0f} reads/s (one process)")
    print(
        f"latency ms: median {statistics.median(timings):.1f}, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f}"
    )
    print(f"visits closed: {Visit.objects.filter(status='closed').count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
