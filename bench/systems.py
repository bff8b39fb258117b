"""The two systems bench/side_by_side.py measures: Damanat's production stack and the seed's peer.

Both offer the same small interface: ``build_template()`` once per sitting, then per run
``fresh()`` (a new database cloned from the template), ``start()``, ``stop()``; ``probe_push(n)``
and ``alerted(keys)`` for the push→alert probe; ``counts(t0, t1)`` and ``queued()`` after a load.
Everything listens on and talks to 127.0.0.1 only. Import after DATABASE_URL names Damanat's
database: bench/stack.py sets Django up on import.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse

import psycopg
from site_fixture import OCCUPANCY_ZONES, PROBE_ADDRESS, PROBE_CAMERA, PROBE_ZONES, probe_zone
from stack import BIN, PRODUCTION_LIKE, ROOT, WEBHOOK, processor_commands

LOGS = ROOT / "var" / "bench-logs"
RIYADH = timezone(timedelta(hours=3))
SHARED_PEER = Path("/work/shared/peer")


# ---------------------------------------------------------------- databases
def admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def recreate_database(url: str, template: str | None = None) -> None:
    """Drop the database ``url`` names (closing its sessions) and create it again."""
    name = urlparse(url).path.lstrip("/")
    clause = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"{clause}')


def with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


# ---------------------------------------------------------------- processes
def spawn(name: str, command: list, env: dict, cwd: Path) -> subprocess.Popen:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [str(part) for part in command], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def stop_all(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()
    procs.clear()


def wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


# ---------------------------------------------------------------- probe payloads
def intrusion_xml(region: str | None, moment: datetime, ip: str) -> bytes:
    """A fielddetection push (vehicle) as common.lua writes them; no region = whole field."""
    regions = (
        (
            "<DetectionRegionList>\n<DetectionRegionEntry>\n"
            f"<regionID>{region}</regionID>\n<sensitivityLevel>50</sensitivityLevel>\n"
            "<detectionTarget>vehicle</detectionTarget>\n"
            "</DetectionRegionEntry>\n</DetectionRegionList>\n"
        )
        if region
        else ""
    )
    stamp = moment.astimezone(RIYADH).strftime("%Y-%m-%dT%H:%M:%S+03:00")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">\n'
        f"<ipAddress>{ip}</ipAddress>\n<channelID>1</channelID>\n"
        f"<triggerTime>{stamp}</triggerTime>\n<eventType>fielddetection</eventType>\n"
        "<eventDescription>fielddetection alarm</eventDescription>\n"
        f"<channelName>Probe</channelName>\n{regions}</EventNotificationAlert>\n"
    ).encode()


def post(port: int, body: bytes, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", WEBHOOK, body=body, headers=headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


def xml_headers(ip: str) -> dict:
    return {"Content-Type": "application/xml; charset=UTF-8", "X-Forwarded-For": ip}


# ---------------------------------------------------------------- Damanat
class Damanat:
    """gunicorn (damanat/gunicorn.py) + the processor (stack.processor_commands) + a Celery
    worker, DJANGO_DEBUG=false, EVENT_PROCESSING=queued, on a database cloned from a template
    that holds the migrated schema and bench/site_fixture.py."""

    name = "damanat"

    def __init__(self, port: int, processors: int = 1, celery_worker: bool = True):
        self.port = port
        self.processors = processors
        self.celery_worker = celery_worker
        self.url = os.environ["DATABASE_URL"]
        self.template = urlparse(self.url).path.lstrip("/") + "_tpl"
        self.procs: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            **PRODUCTION_LIKE,
            "LOG_LEVEL": "WARNING",
            "EVENT_PROCESSING": "queued",
            "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
            "WEB_BIND": f"127.0.0.1:{port}",
            "WEB_LOG_LEVEL": "warning",
        }

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def build_template(self) -> None:
        env = {**self.env, "DATABASE_URL": with_database(self.url, self.template)}
        recreate_database(env["DATABASE_URL"])
        run = [sys.executable, "manage.py"]
        subprocess.run([*run, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [sys.executable, "bench/site_fixture.py"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def fresh(self) -> None:
        from django.db import connections

        connections.close_all()
        recreate_database(self.url, self.template)
        _flush_redis(self.env.get("CELERY_BROKER_URL", ""))

    def start(self) -> None:
        self.procs.append(
            spawn(
                "damanat-web",
                [BIN / "gunicorn", "-c", "python:damanat.gunicorn", "damanat.wsgi:application"],
                self.env,
                ROOT,
            )
        )
        self.start_processors()
        if self.celery_worker:
            self.procs.append(
                spawn(
                    "damanat-celery",
                    [
                        BIN / "celery",
                        "-A",
                        "damanat",
                        "worker",
                        "--loglevel=WARNING",
                        "--concurrency=2",
                        "-n",
                        "bench-default@%h",
                    ],
                    self.env,
                    ROOT,
                )
            )
        wait_http(f"{self.base}/api/v1/health/live")
        time.sleep(2)  # the processor and worker connect

    def start_processors(self) -> None:
        self.processor_procs = [
            spawn(f"damanat-processor-{n}", command, self.env, ROOT)
            for n, command in enumerate(processor_commands(self.env, self.processors))
        ]
        self.procs += self.processor_procs

    def wait_processors(self, timeout: float = 120) -> None:
        """Until a processor worker answers a ping (a worker takes seconds to start)."""
        import socket

        from damanat.celery import app

        names = [f"events{n}@{socket.gethostname()}" for n in range(len(self.processor_procs))]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not app.control.ping(names, timeout=1):
            time.sleep(0.2)
        time.sleep(1)  # the pool's processes finish importing

    def stop_processors(self) -> None:
        """Stop the processor workers (the pushes they miss wait as queued rows)."""
        running = self.processor_procs
        self.procs = [proc for proc in self.procs if proc not in running]
        stop_all(running)

    def stop(self) -> None:
        from django.db import connections

        stop_all(self.procs)
        connections.close_all()

    def warm_up(self, seconds: float = 120) -> None:
        """One push through the whole path: returns once the processor has handled it."""
        key = probe_zone(PROBE_ZONES - 1)
        body = intrusion_xml(key, datetime.now(UTC), PROBE_ADDRESS)
        post(self.port, body, xml_headers(PROBE_ADDRESS))
        deadline = time.monotonic() + seconds
        while self.queued() or not self.alerted([key]):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the processor handled no push within {seconds:.0f} s")
            time.sleep(0.2)

    def probe_push(self, n: int) -> tuple[str, bytes, dict]:
        key = probe_zone(n)
        body = intrusion_xml(key, datetime.now(UTC), PROBE_ADDRESS)
        return key, body, xml_headers(PROBE_ADDRESS)

    def alerted(self, keys: list[str]) -> set[str]:
        from alerts.models import Alert

        return set(
            Alert.objects.filter(zone__camera__code=PROBE_CAMERA, zone__code__in=keys).values_list(
                "zone__code", flat=True
            )
        )

    def queued(self) -> int:
        from cameras.models import CameraEvent

        return CameraEvent.objects.queued().count()

    def timeline(self, keys: list[str]) -> dict[str, tuple[float, float | None, float | None]]:
        """Per probe key: when its event was stored, processed, and its alert written (epoch s)."""
        from alerts.models import Alert
        from cameras.models import CameraEvent

        events = CameraEvent.objects.filter(camera__code=PROBE_CAMERA, region_id__in=keys)
        alerts = dict(
            Alert.objects.filter(zone__camera__code=PROBE_CAMERA, zone__code__in=keys).values_list(
                "zone__code", "created_at"
            )
        )
        return {
            e.region_id: (
                e.received_at.timestamp(),
                e.processed_at.timestamp() if e.processed_at else None,
                alerts[e.region_id].timestamp() if e.region_id in alerts else None,
            )
            for e in events.only("region_id", "received_at", "processed_at")
        }

    def counts(self, t0: datetime, t1: datetime) -> dict:
        from django.db.models import Count

        from cameras.models import CameraEvent

        events = CameraEvent.objects.exclude(camera__code=PROBE_CAMERA)
        applied = events.filter(processed_at__gte=t0, processed_at__lt=t1).count()
        statuses = dict(events.order_by().values_list("status").annotate(n=Count("id")))
        return {"stored": sum(statuses.values()), "applied_in_window": applied, "statuses": statuses}

    def occupancy_off(self) -> int:
        """CAM-03 parking rows whose count is not entrances - exits of the stored pushes."""
        from django.db.models import Count, Q

        from cameras.models import CameraEvent
        from parking.models import Zone

        rows = (
            CameraEvent.objects.filter(camera__code="CAM-03", region_id__in=OCCUPANCY_ZONES)
            .order_by()
            .values("region_id")
            .annotate(
                entered=Count("id", filter=Q(event_type="regionEntrance")),
                left=Count("id", filter=Q(event_type="regionExiting")),
            )
        )
        expected = {row["region_id"]: row["entered"] - row["left"] for row in rows}
        actual = dict(
            Zone.objects.filter(camera__code="CAM-03", code__in=OCCUPANCY_ZONES).values_list(
                "code", "current_count"
            )
        )
        return sum(actual.get(z, 0) != expected.get(z, 0) for z in OCCUPANCY_ZONES)

    def close_thread_connections(self) -> None:
        from django.db import connection

        connection.close()


def _flush_redis(url: str) -> None:
    if not url.startswith("redis://"):
        return
    import redis

    redis.Redis.from_url(url).flushdb()


# ---------------------------------------------------------------- the seed's peer
class Peer:
    """The seed's FastAPI design from /work/shared/peer, copied to var/peer-<variant> with its
    own venv; uvicorn --workers 2 as the seed starts it. ``patched`` applies the peer's
    patches/fixed-xml-namespace-and-tz.diff so that its XML rules run; ``seed`` is as written."""

    name = "peer"

    def __init__(self, port: int, url: str, variant: str = "patched", log_level: str = "WARNING"):
        self.port = port
        self.url = url
        self.template = urlparse(url).path.lstrip("/") + "_tpl"
        self.home = ROOT / "var" / f"peer-{variant}"
        self.variant = variant
        self.procs: list[subprocess.Popen] = []
        self.env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": log_level}
        self.log_level = log_level

    @property
    def app_dir(self) -> Path:
        return self.home / "seed_fastapi"

    @property
    def python(self) -> Path:
        return self.app_dir / ".venv" / "bin" / "python"

    @property
    def wrk_dir(self) -> Path:
        return self.home / "wrk"

    def install(self) -> None:
        """Copy the peer out of shared/ and give it its own venv (once)."""
        if (self.app_dir / ".venv" / ".installed").exists():
            return
        shutil.rmtree(self.home, ignore_errors=True)
        shutil.copytree(SHARED_PEER, self.home, ignore=shutil.ignore_patterns(".venv", "*.log"))
        if self.variant == "patched":
            patch = self.home / "patches" / "fixed-xml-namespace-and-tz.diff"
            subprocess.run(
                ["patch", "-p1", "-i", str(patch)], cwd=self.app_dir, check=True, stdout=subprocess.DEVNULL
            )
        subprocess.run(["python3", "-m", "venv", ".venv"], cwd=self.app_dir, check=True)
        subprocess.run(
            [str(self.python), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
            cwd=self.app_dir,
            check=True,
        )
        (self.app_dir / ".venv" / ".installed").touch()

    def build_template(self) -> None:
        self.install()
        env = {**self.env, "DATABASE_URL": with_database(self.url, self.template)}
        recreate_database(env["DATABASE_URL"])
        subprocess.run(
            [str(self.python), "scripts/setup/init_db.py"],
            cwd=self.app_dir,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def fresh(self) -> None:
        recreate_database(self.url, self.template)

    def start(self) -> None:
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default (forwarded_allow_ips).
        self.procs.append(
            spawn(
                "peer",
                [
                    self.python,
                    "-m",
                    "uvicorn",
                    "app.main:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    "2",
                    "--log-level",
                    self.log_level.lower(),
                    "--no-access-log",
                ],
                self.env,
                self.app_dir,
            )
        )
        wait_http(f"http://127.0.0.1:{self.port}/api/v1/health")
        time.sleep(1)

    def stop(self) -> None:
        stop_all(self.procs)

    def warm_up(self) -> None:
        pass  # rules run in the request: up is ready

    def probe_push(self, n: int) -> tuple[str, bytes, dict]:
        """A whole-field intrusion from an address of its own: the peer keys its 30 s
        cooldown by zone name alone, and its restricted zones are four fixed names, so only
        "<camera>-field" gives each probe its own alert."""
        ip = f"10.77.{n // 250}.{n % 250 + 1}"
        body = intrusion_xml(None, datetime.now(UTC), ip)
        return f"UNKNOWN-{ip}-field", body, xml_headers(ip)

    def alerted(self, keys: list[str]) -> set[str]:
        with psycopg.connect(self.url) as conn:
            rows = conn.execute(
                "SELECT DISTINCT zone_id FROM alerts WHERE zone_id = ANY(%s)", [keys]
            ).fetchall()
        return {row[0] for row in rows}

    def queued(self) -> int:
        return 0  # rules run inline, in the request

    def counts(self, t0: datetime, t1: datetime) -> dict:
        with psycopg.connect(self.url) as conn:
            stored = conn.execute(
                "SELECT count(*) FROM camera_events WHERE camera_id NOT LIKE 'UNKNOWN-10.77.%%'"
            ).fetchone()[0]
            kinds = dict(
                conn.execute("SELECT alert_type, count(*) FROM alerts GROUP BY alert_type").fetchall()
            )
            types = dict(
                conn.execute("SELECT event_type, count(*) FROM camera_events GROUP BY event_type").fetchall()
            )
        return {"stored": stored, "alerts": kinds, "event_types": types}

    def occupancy_off(self) -> int:
        """Zones whose count is not entrances - exits of the stored pushes (CAM-03)."""
        with psycopg.connect(self.url) as conn:
            return conn.execute("""
                SELECT count(*) FROM zone_occupancy z WHERE z.current_count <> (
                    SELECT count(*) FILTER (WHERE e.event_type = 'regionEntrance')
                         - count(*) FILTER (WHERE e.event_type = 'regionExiting')
                    FROM camera_events e WHERE e.region_id = z.zone_id
                      AND e.camera_id = 'CAM-03')""").fetchone()[0]

    def close_thread_connections(self) -> None:
        pass


WEBHOOK_PATH = WEBHOOK
