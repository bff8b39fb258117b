"""Load the camera webhook with a realistic mix and check nothing accepted is missing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_damanat \
        .venv/bin/python bench/webhook_load.py --serve --connections 16 64 --seconds 20

--serve migrates the database, loads the demo site and starts gunicorn on 127.0.0.1:8099
(stopped at the end). The mix: intrusion XML (CAM-01 fielddetection into restricted-vip),
occupancy entrance/exit XML (CAM-03), ANPR multipart with a picture (CAM-ENTRY) and ANPR
JSON (CAM-EXIT). Each push is unique (UUID). Prints events/s, p50/p99 latency, and stored
rows against accepted answers.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

import django  # noqa: E402

django.setup()

from cameras import simulator  # noqa: E402
from cameras.models import CameraEvent  # noqa: E402

PLATES = [f"{random.choice('ABDEGHJKLNRSTUVXZ')}{random.choice('ABDEGHJKLNRSTUVXZ')}"
          f"{random.choice('ABDEGHJKLNRSTUVXZ')}{n:04d}" for n in range(500)]


def make_push(counter: int) -> tuple[bytes, str, str]:
    """(body, content type, camera address) for push number ``counter``."""
    kind = counter % 10
    if kind < 3:
        body, ctype = simulator.build("fielddetection", zone="restricted-vip")
        return body, ctype, "192.168.1.101"
    if kind < 5:
        body, ctype = simulator.build("regionEntrance", zone="parking-row-A")
        return body, ctype, "192.168.1.103"
    if kind < 7:
        body, ctype = simulator.build("regionExiting", zone="parking-row-A")
        return body, ctype, "192.168.1.103"
    plate = PLATES[counter % len(PLATES)]
    if kind < 9:
        body, ctype = simulator.build("anpr", plate=plate, anpr_format="xml", with_picture=True)
        return body, ctype, "192.168.1.104"
    body, ctype = simulator.build("anpr", plate=plate, anpr_format="json")
    return body, ctype, "192.168.1.105"


def request_bytes(host: str, port: int, path: str, push: tuple[bytes, str, str]) -> bytes:
    body, ctype, source = push
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\nX-Forwarded-For: {source}\r\n"
            f"Connection: keep-alive\r\n\r\n")
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("server closed the connection")
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readline()
        return status, body
    return status, await reader.readexactly(length)


async def client(host, port, path, pushes, deadline, results):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < deadline:
            payload = next(pushes)
            started = time.perf_counter()
            writer.write(payload)
            await writer.drain()
            try:
                status, body = await read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                results["errors"] += 1
                continue
            results["latencies"].append(time.perf_counter() - started)
            results["statuses"][status] = results["statuses"].get(status, 0) + 1
            if status == 200:
                answer = json.loads(body)
                results["answers"][answer["status"]] = results["answers"].get(answer["status"], 0) + 1
                if answer["status"] == "accepted":
                    results["accepted_ids"].append(answer["event_id"])
    finally:
        writer.close()


def prepare(count: int, host: str, port: int, path: str) -> list[bytes]:
    return [request_bytes(host, port, path, make_push(i)) for i in range(count)]


async def run(host, port, path, connections, seconds, pushes):
    results = {"latencies": [], "statuses": {}, "answers": {}, "accepted_ids": [], "errors": 0}
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(client(host, port, path, pushes, deadline, results)
                           for _ in range(connections)))
    results["elapsed"] = time.monotonic() - started
    return results


def report(connections: int, results: dict) -> dict:
    lat = sorted(results["latencies"])
    done = len(lat)
    stored = 0
    ids = results["accepted_ids"]
    for start in range(0, len(ids), 5000):
        stored += CameraEvent.objects.filter(pk__in=ids[start:start + 5000]).count()
    figures = {
        "connections": connections, "requests": done,
        "events_per_s": round(done / results["elapsed"], 1),
        "p50_ms": round(statistics.median(lat) * 1000, 2) if lat else None,
        "p99_ms": round(lat[int(done * 0.99) - 1] * 1000, 2) if lat else None,
        "statuses": results["statuses"], "answers": results["answers"],
        "accepted": len(ids), "stored_of_accepted": stored, "errors": results["errors"],
    }
    print(json.dumps(figures))
    return figures


def serve(port: int, workers: int) -> subprocess.Popen:
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True)
    subprocess.run([python, "manage.py", "load_demo", "--password", "bench-only-pass"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "damanat.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
         "--threads", "4",
         "--keep-alive", "30", "--log-level", "warning"], cwd=ROOT, env=env)
    time.sleep(3)
    return proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate-cap", type=int, default=4000,
                        help="pushes prepared per second of run (upper bound on throughput)")
    parser.add_argument("--serve", action="store_true", help="start gunicorn for the run")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default 2×cores+1)")
    args = parser.parse_args()
    server = serve(args.port, args.workers or os.cpu_count() * 2 + 1) if args.serve else None
    path = "/api/v1/events/camera"
    try:
        # Every push is unique; one stream serves all runs so none is a duplicate.
        pushes = iter(prepare(int(args.rate_cap * args.seconds * len(args.connections)),
                              args.host, args.port, path))
        for connections in args.connections:
            results = asyncio.run(run(args.host, args.port, path, connections, args.seconds, pushes))
            report(connections, results)
    finally:
        if server:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
