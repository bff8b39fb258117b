"""Soak: the realistic mix at a steady rate for 10 minutes; memory must stay flat.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_damanat \\
        .venv/bin/python bench/soak.py --rate 50 --minutes 10

Reports every process's resident memory at the start and the end, the answers, errors,
and stored rows against accepted answers (after the processor has drained the queue).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from stack import Stack, Tally, paced_pushes

from cameras.models import CameraEvent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    stack = Stack()
    stack.prepare()
    stack.start("web", "processor", "worker")
    tally = Tally()
    try:
        asyncio.run(paced_pushes(stack.url(), args.rate, 30, Tally()))  # warm-up
        memory_start = stack.rss_mib()
        asyncio.run(paced_pushes(stack.url(), args.rate, args.minutes * 60, tally))
        memory_end = stack.rss_mib()
        deadline = time.monotonic() + 120
        while CameraEvent.objects.queued().exists() and time.monotonic() < deadline:
            time.sleep(1)
        stored = CameraEvent.objects.filter(pk__in=tally.accepted_ids).count()
        failed = CameraEvent.objects.filter(pk__in=tally.accepted_ids, status="failed").count()
        lat = sorted(tally.latencies)
        print(
            json.dumps(
                {
                    "rate_per_s": args.rate,
                    "minutes": args.minutes,
                    "requests": len(lat),
                    "statuses": tally.statuses,
                    "answers": tally.answers,
                    "errors": tally.errors,
                    "accepted": len(tally.accepted_ids),
                    "stored_of_accepted": stored,
                    "processing_failed": failed,
                    "p50_ms": round(lat[len(lat) // 2] * 1000, 1),
                    "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 1),
                    "rss_mib_start": memory_start,
                    "rss_mib_end": memory_end,
                },
                indent=1,
            )
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
