"""Edge ingest and live stream: plate read POSTed with pictures → WebSocket client sees it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_integrations \
    REDIS_URL=redis://127.0.0.1:6379/7 \
        /work/main/.venv/bin/python bench/integrations_stream.py --reads 300 --rate 30

Creates and migrates the database, starts uvicorn (one process, the production ASGI app) on
127.0.0.1:8094 with the Redis channel layer when REDIS_URL is set (in-memory otherwise),
connects one WebSocket client filtered on plate reads, then posts reads (JSON fields, a
frame and a crop) alternately at the entry and exit gates, so the ANPR pipeline opens and
closes visits. Prints p50/p95/max of the ingest answer time and of post-sent → message
received on the WebSocket, and checks every read arrived exactly once.
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
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
PORT = 8094


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        name = parsed.path.lstrip("/")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare() -> str:
    import django

    django.setup()
    from django.contrib.auth.models import Permission, User
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from cameras.models import Camera

    call_command("migrate", verbosity=0)
    for code, ip, role in (
        ("BENCH-IN", "10.98.0.1", Camera.Role.ENTRY_GATE),
        ("BENCH-OUT", "10.98.0.2", Camera.Role.EXIT_GATE),
    ):
        Camera.objects.update_or_create(code=code, defaults={"ip_address": ip, "role": role})
    user, _ = User.objects.get_or_create(username="bench-edge")
    perms = Permission.objects.filter(codename__in=["add_cameraevent", "view_cameraevent"])
    user.user_permissions.add(*perms)
    return Token.objects.get_or_create(user=user)[0].key


def start_server() -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "damanat.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{PORT}/liveness", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("uvicorn did not start")


class StreamWatcher(threading.Thread):
    def __init__(self, token: str):
        super().__init__(daemon=True)
        self.url = f"ws://127.0.0.1:{PORT}/api/v1/events/stream?token={token}&kind=plate_read"
        self.arrivals: dict[str, list[float]] = {}
        self.ready = threading.Event()
        self.stop = False

    def run(self) -> None:
        from websockets.exceptions import ConnectionClosed
        from websockets.sync.client import connect

        try:
            self.watch(connect(self.url))
        except ConnectionClosed:
            pass  # the server stopped at the end of the run

    def watch(self, websocket) -> None:
        with websocket:
            websocket.recv(timeout=5)
            self.ready.set()
            while not self.stop:
                try:
                    message = json.loads(websocket.recv(timeout=0.5))
                except TimeoutError:
                    continue
                plate = message["data"]["plate"]
                self.arrivals.setdefault(plate, []).append(time.monotonic())


def post_read(session: requests.Session, token: str, index: int, jpeg: bytes) -> tuple[str, float]:
    plate = f"BEN{index // 2:05d}"
    camera = "BENCH-IN" if index % 2 == 0 else "BENCH-OUT"
    fields = {"camera": camera, "plate": plate, "confidence": 0.9, "event_id": f"bench-{time.time_ns()}"}
    started = time.monotonic()
    answer = session.post(
        f"http://127.0.0.1:{PORT}/api/v1/events/ingest",
        timeout=10,
        headers={"Authorization": f"Token {token}"},
        data={"event": json.dumps(fields)},
        files={"frame": ("frame.jpg", jpeg, "image/jpeg"), "crop": ("crop.jpg", jpeg, "image/jpeg")},
    )
    answer.raise_for_status()
    return plate if camera == "BENCH-IN" else plate + "/out", started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{name}: n={len(ms)} p50={statistics.median(ms):.1f} ms p95={percentile(ms, 0.95):.1f} ms "
        f"max={max(ms):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--rate", type=float, default=30.0, help="reads per second")
    options = parser.parse_args()
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    token = prepare()
    from cameras.simulator import TINY_JPEG

    server = start_server()
    try:
        watcher = StreamWatcher(token)
        watcher.start()
        watcher.ready.wait(10)
        session, sent, answers = requests.Session(), {}, []
        for index in range(options.reads):
            key, started = post_read(session, token, index, TINY_JPEG)
            answers.append(time.monotonic() - started)
            sent[key.split("/")[0] + ("/out" if key.endswith("/out") else "")] = started
            time.sleep(max(0.0, 1 / options.rate - answers[-1]))
        time.sleep(1)
        watcher.stop = True
    finally:
        server.terminate()
        server.wait(10)
    latencies, duplicates = [], 0
    for plate, times in watcher.arrivals.items():
        keys = [k for k in (plate, plate + "/out") if k in sent]
        duplicates += max(0, len(times) - len(keys))
        latencies += [arrived - sent[key] for key, arrived in zip(keys, sorted(times), strict=False)]
    layer = "redis" if os.environ.get("REDIS_URL") else "in-memory"
    print(f"channel layer: {layer}; reads posted: {options.reads} at {options.rate:g}/s")
    report("ingest answer", answers)
    report("post -> WebSocket", latencies)
    print(f"received on the stream: {len(latencies)}/{options.reads}, duplicates: {duplicates}")


if __name__ == "__main__":
    main()
