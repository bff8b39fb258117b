"""The pieces the soak and fault scripts share: the running stack, a paced pusher, a receiver.

Everything talks to 127.0.0.1 only. The stack is gunicorn (sync workers) + the processor
(Celery on ``events``) + a Celery worker and beat on Redis, against the PostgreSQL named by DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

import django  # noqa: E402

django.setup()

from cameras import simulator  # noqa: E402

WEBHOOK = "/api/v1/events/camera"
# Production settings (DEBUG off); keys for benchmarks only, loopback-only networks.
PRODUCTION_LIKE = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "FIELD_ENCRYPTION_KEY": "ZGV2LW9ubHktZmllbGQta2V5LTAwMDAwMDAwMDAwMDA=",
    "MODEL_ENCRYPTION_KEY": "base64:ZGFtYW5hdC1kZXYtb25seS1tb2RlbC1rZXktMDAwMDA=",
    "EVIDENCE_SIGNING_KEY": "YmVuY2gtb25seS1ldmlkZW5jZS1zaWduaW5nLWtleSE=",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "TRUSTED_PROXIES": "127.0.0.1",
    "ISAPI_ALLOWED_NETWORKS": "127.0.0.0/8",
    "OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",
    "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"),
}


def processor_commands(env: dict, count: int = 1) -> list[list[str]]:
    """The processes that apply the rules to queued pushes: the one place to change them.

    The processor service of docker-compose.yml: Celery workers on the ``events`` queue
    (cameras.process_partition, one task per partition), ``count`` hosts' worth, each with
    PROCESSOR_CONCURRENCY processes (2). nice -3 is the weight compose's cpu_shares 2048
    (against web's 1024) gives it: under load the rules keep up and answers slow instead.
    """
    concurrency = env.get("PROCESSOR_CONCURRENCY", "2")
    return [
        [
            "nice",
            "-n",
            "-3",
            str(BIN / "celery"),
            "-A",
            "damanat",
            "worker",
            "-Q",
            "events",
            f"--concurrency={concurrency}",
            "-n",
            f"events{n}@%h",
            "--loglevel=WARNING",
        ]
        for n in range(count)
    ]


def stack_env(**extra) -> dict:
    return {
        **os.environ,
        "LOG_LEVEL": "WARNING",
        "EVENT_PROCESSING": "queued",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3"),
        **extra,
    }


@dataclass
class Stack:
    port: int = 8099
    workers: int = 5
    env: dict = field(default_factory=stack_env)
    procs: dict = field(default_factory=dict)

    def prepare(self) -> None:
        run = [sys.executable, "manage.py"]
        subprocess.run([*run, "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env, check=True)
        subprocess.run(
            [*run, "load_demo", "--password", "bench-only-pass"],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self, *names: str) -> None:
        commands = {
            "web": [
                str(BIN / "gunicorn"),
                "damanat.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            "processor": processor_commands(self.env)[0],
            "worker": [str(BIN / "celery"), "-A", "damanat", "worker", "--pool=solo", "--loglevel=WARNING"],
            "beat": [
                str(BIN / "celery"),
                "-A",
                "damanat",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                "/tmp/damanat-bench-beat",
            ],
        }
        for name in names or commands:
            self.procs[name] = subprocess.Popen(commands[name], cwd=ROOT, env=self.env)
        time.sleep(4)

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait(10)

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mib(self) -> dict[str, float]:
        """Resident memory of every process of the stack, gunicorn workers included."""
        sizes = {}
        for name, proc in self.procs.items():
            for pid in [proc.pid, *_children(proc.pid)]:
                sizes[f"{name}:{pid}"] = _rss(pid)
        return sizes


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def mixed_push(n: int) -> tuple[bytes, str, str]:
    """The realistic mix, push number ``n``: (body, content type, camera address)."""
    kind = n % 10
    if kind < 3:
        return (*simulator.build("fielddetection", zone="restricted-vip"), "192.168.1.101")
    if kind < 5:
        return (*simulator.build("regionEntrance", zone="parking-row-A"), "192.168.1.103")
    if kind < 7:
        return (*simulator.build("regionExiting", zone="parking-row-A"), "192.168.1.103")
    plate = f"BEN{n % 500:04d}"
    if kind < 9:
        return (*simulator.build("anpr", plate=plate, anpr_format="xml", with_picture=True), "192.168.1.104")
    return (*simulator.build("anpr", plate=plate), "192.168.1.105")


@dataclass
class Tally:
    statuses: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    accepted_ids: list = field(default_factory=list)
    errors: int = 0
    latencies: list = field(default_factory=list)

    def add(self, status: int, body: bytes, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(seconds)
        if status == 200:
            answer = json.loads(body)
            self.answers[answer["status"]] = self.answers.get(answer["status"], 0) + 1
            if answer["status"] == "accepted":
                self.accepted_ids.append(answer["event_id"])


async def _post(host: str, port: int, body: bytes, ctype: str, source: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            (
                f"POST {WEBHOOK} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\nX-Forwarded-For: {source}\r\n"
                f"Connection: close\r\n\r\n"
            ).encode()
            + body
        )
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout=30)
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


async def paced_pushes(url: str, rate: float, seconds: float, tally: Tally, push=mixed_push) -> None:
    """Send ``rate`` pushes a second for ``seconds``, each in its own connection."""
    host, port = url.replace("http://", "").split(":")
    started, tasks, n = time.monotonic(), [], 0
    while (elapsed := time.monotonic() - started) < seconds:
        due = int(elapsed * rate)
        while n < due:
            tasks.append(asyncio.create_task(_one(host, int(port), push(n), tally)))
            n += 1
        await asyncio.sleep(0.005)
    await asyncio.gather(*tasks)


async def _one(host, port, push, tally: Tally) -> None:
    body, ctype, source = push
    begun = time.perf_counter()
    try:
        status, payload = await _post(host, port, body, ctype, source)
    except (TimeoutError, OSError, IndexError, ValueError):
        tally.errors += 1
        return
    tally.add(status, payload, time.perf_counter() - begun)


class Receiver:
    """A webhook receiver on 127.0.0.1 that records each request's event id."""

    def __init__(self, delay: float = 0.0):
        self.event_ids: list[str] = []
        self.delay = delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.event_ids.append(self.headers.get("X-Damanat-Event-Id", ""))
                time.sleep(receiver.delay)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
