"""Load the camera webhook with a realistic mix; check that nothing accepted is missing.

    apt-get install wrk        # the load generator (C, so it leaves the cores to the server)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_damanat \\
        .venv/bin/python bench/webhook_load.py --serve --processing queued --connections 16 64

--serve migrates the database, loads the demo site and starts gunicorn (sync workers) on
127.0.0.1:8099 — plus, in queued mode, ``manage.py process_events`` that runs the handlers.
The mix (bench/wrk_mix.lua): intrusion XML (CAM-01 fielddetection into restricted-vip),
occupancy entrance/exit XML (CAM-03), ANPR multipart with a picture (CAM-ENTRY) and
AccessControllerEvent JSON (CAM-EXIT); every push unique. Prints, per connection count:
events/s, p50/p90/p99 latency, accepted answers against stored rows, and (queued mode)
how long the worker took to finish processing after the load stopped.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Max  # noqa: E402

from cameras.models import CameraEvent  # noqa: E402

BIN = Path(sys.executable).parent


def start_server(port: int, workers: int, env: dict) -> list[subprocess.Popen]:
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "load_demo", "--password", "bench-only-pass"],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    procs = [subprocess.Popen(
        [str(BIN / "gunicorn"), "damanat.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=env)]
    if env.get("EVENT_PROCESSING") == "queued":
        procs.append(subprocess.Popen([sys.executable, "manage.py", "process_events"],
                                      cwd=ROOT, env=env, stdout=subprocess.DEVNULL))
    time.sleep(4)
    return procs


def run_wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
         str(ROOT / "bench" / "wrk_mix.lua"), url], capture_output=True, text=True, check=True)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def wait_processed(first_id: int, timeout: float = 600) -> float:
    started = time.monotonic()
    while CameraEvent.objects.queued().filter(pk__gt=first_id).exists():
        if time.monotonic() - started > timeout:
            break
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def measure(url: str, connections: int, seconds: int, queued: bool) -> dict:
    first_id = CameraEvent.objects.aggregate(m=Max("id"))["m"] or 0
    figures = run_wrk(url, connections, seconds)
    new = CameraEvent.objects.filter(pk__gt=first_id)
    figures.update({
        "connections": connections,
        "events_per_s": round(figures["requests"] / figures["seconds"], 1),
        "stored_rows": new.count(),
        "stored_not_rejected": new.exclude(status=CameraEvent.Status.REJECTED).count(),
    })
    if queued:
        figures["drain_seconds_after_load"] = wait_processed(first_id)
        figures["failed_processing"] = new.filter(status=CameraEvent.Status.FAILED).count()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--processing", choices=["inline", "queued"], default="queued")
    parser.add_argument("--serve", action="store_true", help="start gunicorn (and a worker)")
    args = parser.parse_args()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "EVENT_PROCESSING": args.processing,
           "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")}
    procs = start_server(args.port, args.workers, env) if args.serve else []
    try:
        for connections in args.connections:
            figures = measure(f"http://127.0.0.1:{args.port}", connections, args.seconds,
                              args.processing == "queued")
            print(json.dumps({"processing": args.processing, **figures}))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(15)


if __name__ == "__main__":
    main()
