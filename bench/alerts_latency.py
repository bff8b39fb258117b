"""Push-to-webhook latency: camera push over HTTP → alert → Celery worker → signed webhook.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_alerts \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/11 \
        /work/main/.venv/bin/python bench/alerts_latency.py --pushes 300 --rate 20

Creates the database if needed and migrates it, starts uvicorn on 127.0.0.1:8093 and a
Celery worker (threads pool) on the broker, plus a webhook receiver on 127.0.0.1. Each
push is a fielddetection into its own restricted zone (so each opens a new alert); the
receiver notes when the signed request for that zone arrives. Prints p50, p95 and max of
push-sent → webhook-received, and checks every alert arrived exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
SECRET = "bench-secret"
CAMERA_IP = "10.99.0.1"
PORT = 8093


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()

    def start(self) -> str:
        from alerts.transports.webhook import verify

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.monotonic()
                if not verify(SECRET, body, self.headers.get("X-Damanat-Signature", "")):
                    receiver.bad_signatures += 1
                zone = json.loads(body)["alert"]["zone"]
                with receiver.lock:
                    receiver.arrivals.setdefault(zone, []).append(now)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}/bench"


def prepare(pushes: int, url: str) -> None:
    import django

    django.setup()
    from alerts.models import Alert, NotificationChannel
    from cameras.models import Camera
    from parking.models import Zone

    Alert.objects.filter(camera__ip_address=CAMERA_IP).delete()
    Camera.objects.filter(ip_address=CAMERA_IP).delete()
    NotificationChannel.objects.filter(name="bench").delete()
    camera = Camera.objects.create(code="BENCH-CAM", ip_address=CAMERA_IP, role=Camera.Role.PERIMETER)
    Zone.objects.bulk_create(
        [
            Zone(
                camera=camera,
                code=f"bench-{n}",
                name=f"bench {n}",
                kind=Zone.Kind.RESTRICTED,
                counted_targets=["vehicle"],
            )
            for n in range(pushes)
        ]
    )
    NotificationChannel.objects.create(name="bench", kind="webhook", url=url, secret=SECRET)


def cleanup() -> None:
    from alerts.models import Alert, NotificationChannel
    from cameras.models import Camera

    Alert.objects.filter(camera__ip_address=CAMERA_IP).delete()
    Camera.objects.filter(ip_address=CAMERA_IP).delete()
    NotificationChannel.objects.filter(name="bench").delete()


def start_services(env: dict, concurrency: int) -> list[subprocess.Popen]:
    python = sys.executable
    venv_bin = Path(python).parent
    web = subprocess.Popen(
        [
            str(venv_bin / "uvicorn"),
            "damanat.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [
            str(venv_bin / "celery"),
            "-A",
            "damanat",
            "worker",
            "--pool=threads",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "-n",
            "bench@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    return [web, worker]


def wait_until_up() -> None:
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{PORT}/api/v1/health/live", timeout=5)
            break
        except requests.RequestException:
            time.sleep(0.2)
    time.sleep(3)  # let the worker connect to the broker


ANSWER_MS: list[float] = []


def push_all(pushes: int, rate: float) -> dict[str, float]:
    from cameras.simulator import region_event_xml

    sent: dict[str, float] = {}
    session = requests.Session()
    for n in range(pushes):
        zone = f"bench-{n}"
        body = region_event_xml("fielddetection", zone)
        sent[zone] = time.monotonic()
        response = session.post(
            f"http://127.0.0.1:{PORT}/api/v1/events/camera",
            data=body,
            timeout=10,
            headers={"Content-Type": "application/xml", "X-Forwarded-For": CAMERA_IP},
        )
        response.raise_for_status()
        ANSWER_MS.append((time.monotonic() - sent[zone]) * 1000)
        time.sleep(max(0.0, 1.0 / rate - (time.monotonic() - sent[zone])))
    return sent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pushes", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20.0, help="pushes per second")
    parser.add_argument("--concurrency", type=int, default=4, help="worker threads")
    args = parser.parse_args()
    env = {**os.environ, "INTRUSION_COOLDOWN_SECONDS": "30"}
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_alerts")
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL")})
    ensure_database(env["DATABASE_URL"])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    receiver = Receiver()
    prepare(args.pushes, receiver.start())
    services = start_services(env, args.concurrency)
    try:
        wait_until_up()
        sent = push_all(args.pushes, args.rate)
        deadline = time.monotonic() + 30
        while len(receiver.arrivals) < args.pushes and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for process in services:
            process.terminate()
        for process in services:
            process.wait(timeout=20)
        cleanup()
    report(args, sent, receiver)


def report(args, sent: dict[str, float], receiver: Receiver) -> None:
    latencies = [(receiver.arrivals[z][0] - t) * 1000 for z, t in sent.items() if z in receiver.arrivals]
    duplicates = sum(len(v) - 1 for v in receiver.arrivals.values())
    print(f"pushes: {args.pushes} at {args.rate:g}/s, worker threads: {args.concurrency}")
    print(
        f"delivered: {len(latencies)}/{args.pushes}, duplicates: {duplicates}, "
        f"bad signatures: {receiver.bad_signatures}"
    )
    if latencies:
        print(
            f"push → webhook latency ms: p50 {statistics.median(latencies):.0f}, "
            f"p95 {percentile(latencies, 0.95):.0f}, max {max(latencies):.0f}"
        )
        print(
            f"(of which the camera's push answered in ms: p50 {statistics.median(ANSWER_MS):.0f}, "
            f"p95 {percentile(ANSWER_MS, 0.95):.0f})"
        )


if __name__ == "__main__":
    main()
