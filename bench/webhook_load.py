"""Load the camera webhook with a realistic mix; check that nothing accepted is missing.

    apt-get install wrk        # the load generator (C, so it leaves the cores to the server)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_damanat \\
        .venv/bin/python bench/webhook_load.py --serve --processing queued --connections 16 64

--serve migrates the database, loads the demo site and starts gunicorn with the production
settings (damanat/gunicorn.py: threaded WSGI workers; DJANGO_DEBUG=false) on 127.0.0.1:8099,
plus, in queued mode, the processor (Celery workers on the ``events`` queue) as in
docker-compose.yml.
The mix (bench/wrk_mix.lua): intrusion XML (CAM-01 fielddetection into restricted-vip),
occupancy entrance/exit XML (CAM-03), ANPR multipart with a picture (CAM-ENTRY) and
AccessControllerEvent JSON (CAM-EXIT); every push unique. Prints, per connection count:
events/s, p50/p90/p99 latency, accepted answers against stored rows, and (queued mode)
how many of the pushes the processor had handled within --drain-seconds after the load
stopped, and at what rate.

--floor nothing|insert serves bench/webhook_floor_app.py instead: the same stack with the
push's work taken away (answer only; one INSERT of a prebuilt row), to show what parsing,
building the row and writing pictures cost on the machine at hand.
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
from stack import PRODUCTION_LIKE, processor_commands  # noqa: E402

from cameras.models import CameraEvent  # noqa: E402

BIN = Path(sys.executable).parent


def start_server(port: int, args, env: dict) -> list[subprocess.Popen]:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--password", "bench-only-pass"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    web_env = {
        **env,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(args.workers),
        "WEB_THREADS": str(args.threads),
        "WEB_LOG_LEVEL": "warning",
    }
    app = ["damanat.wsgi:application"]
    if args.floor:
        # bench/webhook_floor_app.py: the same stack with the push's work taken away.
        web_env["WEBHOOK_FLOOR"] = args.floor
        app = ["--pythonpath", str(ROOT / "bench"), "webhook_floor_app:application"]
    procs = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:damanat.gunicorn", *app], cwd=ROOT, env=web_env
        )
    ]
    if env.get("EVENT_PROCESSING") == "queued" and not args.pause_processor:
        procs.append(start_processor(env))
    time.sleep(4)
    return procs


def start_processor(env: dict) -> subprocess.Popen:
    return subprocess.Popen(processor_commands(env)[0], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def run_wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "wrk_mix.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def drain(first_id: int, seconds: float) -> dict:
    """How fast the processor works through the queue in the ``seconds`` after the load."""
    queued = CameraEvent.objects.queued()
    new = CameraEvent.objects.filter(pk__gt=first_id)
    waiting_at_end = queued.count()
    started = time.monotonic()
    while time.monotonic() - started < seconds and queued.exists():
        time.sleep(0.5)
    took = time.monotonic() - started
    left = queued.count()
    return {
        "queued_when_load_stopped": waiting_at_end,
        "still_queued": left,
        "drain_seconds": round(took, 1),
        "processed_per_s_after_load": round((waiting_at_end - left) / took, 1),
        "failed_processing": new.filter(status=CameraEvent.Status.FAILED).count(),
    }


def measure(
    url: str, connections: int, seconds: int, queued: bool, drain_seconds: float, start_processor=None
) -> dict:
    """One run. With ``start_processor`` the processor is started only once the load has
    stopped (ingest measured alone) and stopped again after the drain window."""
    first_id = CameraEvent.objects.aggregate(m=Max("id"))["m"] or 0
    figures = run_wrk(url, connections, seconds)
    new = CameraEvent.objects.filter(pk__gt=first_id)
    figures.update(
        {
            "connections": connections,
            "events_per_s": round(figures["requests"] / figures["seconds"], 1),
            "stored_rows": new.count(),
            "stored_not_rejected": new.exclude(status=CameraEvent.Status.REJECTED).count(),
        }
    )
    if queued and drain_seconds:
        processor = start_processor() if start_processor else None
        try:
            figures.update(drain(first_id, drain_seconds))
        finally:
            if processor is not None:
                stop(processor)
    return figures


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--runs", type=int, default=1, help="runs per connection count")
    parser.add_argument(
        "--pause-processor",
        action="store_true",
        help="queued mode: run the processor only between loads (ingest alone)",
    )
    parser.add_argument(
        "--drain-seconds",
        type=float,
        default=30,
        help="queued mode: watch the processor this long after each run (0: not)",
    )
    parser.add_argument("--processing", choices=["inline", "queued"], default="queued")
    parser.add_argument("--serve", action="store_true", help="start gunicorn (and a worker)")
    parser.add_argument(
        "--floor",
        choices=["nothing", "insert"],
        help="serve bench/webhook_floor_app.py: the view only answers (nothing) "
        "or only INSERTs a prebuilt row (insert)",
    )
    args = parser.parse_args()
    env = {
        **PRODUCTION_LIKE,
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "EVENT_PROCESSING": args.processing,
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"),
    }
    procs = start_server(args.port, args, env) if args.serve else []
    try:
        for connections in args.connections:
            for _ in range(args.runs):
                after_load = (lambda: start_processor(env)) if args.pause_processor else None
                figures = measure(
                    f"http://127.0.0.1:{args.port}",
                    connections,
                    args.seconds,
                    args.processing == "queued",
                    args.drain_seconds,
                    after_load,
                )
                print(json.dumps({"processing": args.processing, **figures}), flush=True)
    finally:
        for proc in procs:
            stop(proc)


if __name__ == "__main__":
    main()
