"""docker-compose.yml as production runs it, natively: nginx (TLS) in front of gunicorn, the
ASGI stream, processor, worker and beat on PostgreSQL and Redis, with .env.example's settings.

One scenario, because the stack takes a while to start: every health check passes; a
WebSocket client sits idle for a minute and still hears the next alert; 200 slow sockets
do not slow camera pushes; a push through nginx is stored and processed; staff see its
picture over HTTPS and anonymous users do not; backup then restore gives the same data.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import ssl
import statistics
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import requests
from django.conf import settings
from websockets.sync.client import connect

from cameras.simulator import TINY_JPEG, build
from damanat.testing import wait_until

from .stack import LONG_RUNNING, Stack

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
CAMERA_IP = "127.0.0.5"
PASSWORD = "Stack-test-pass-2026"
IDLE_SECONDS = 60
SLOW_SOCKETS = 200

SETUP = f"""
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from cameras.models import Camera
from damanat.roles import SECURITY_STAFF
from parking.models import Zone
camera = Camera.objects.create(code="CAM-01", name="Perimeter", ip_address="{CAMERA_IP}", role=Camera.Role.PERIMETER)
Zone.objects.create(camera=camera, code="restricted-vip", name="VIP", kind=Zone.Kind.RESTRICTED,
                    counted_targets=["vehicle"])
guard = User.objects.create_user("guard", password="{PASSWORD}", is_staff=True)
guard.groups.add(Group.objects.get(name=SECURITY_STAFF))
print(Token.objects.create(user=guard).key)
"""

CONTENTS = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from alerts.models import Alert
from cameras.models import CameraEvent, EventPicture
media = {p.image.name: hashlib.sha256((Path(settings.MEDIA_ROOT) / p.image.name).read_bytes()).hexdigest()
         for p in EventPicture.objects.all()}
print(json.dumps({"events": CameraEvent.objects.count(), "alerts": Alert.objects.count(), "media": media}))
"""


def _database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    login = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _fresh_database(name: str) -> str:
    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return _database_url(name)


@pytest.fixture
def stack(redis_url):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("needs Debian's nginx (apt-get install nginx)")
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or not redis_url:
        pytest.skip("needs PostgreSQL and Redis")
    name = settings.DATABASES["default"]["NAME"].removeprefix("test_") + "_stack"
    running = Stack(database_url=_fresh_database(name), redis_url=redis_url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    try:
        running.up()
        yield running
    finally:
        running.down()


def push(stack: Stack, body: bytes, content_type: str) -> tuple[int, dict, float]:
    """A camera's push, from the camera's own address, to nginx's plain-HTTP port."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(
        "127.0.0.1", stack.ports["http"], timeout=10, source_address=(CAMERA_IP, 0)
    )
    try:
        conn.request("POST", "/api/v1/events/camera", body=body, headers={"Content-Type": content_type})
        answer = conn.getresponse()
        return answer.status, json.loads(answer.read() or b"{}"), time.monotonic() - started
    finally:
        conn.close()


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def quiet_pushes(stack: Stack, count: int) -> list[float]:
    """Pushes that are stored and processed but raise nothing (a zone this camera does not have)."""
    seconds = []
    for _ in range(count):
        status, answer, took = push(stack, *build("regionExiting", zone="no-such-zone"))
        assert status == 200 and answer["status"] == "accepted", answer
        seconds.append(took)
    return seconds


def slow_sockets(stack: Stack) -> list[socket.socket]:
    """Half of them stop in the middle of a header, half in the middle of a body."""
    held = []
    for n in range(SLOW_SOCKETS):
        sock = socket.create_connection(("127.0.0.1", stack.ports["http"]))
        head = b"POST /api/v1/events/camera HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"
        body = (
            b"POST /api/v1/events/camera HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\n"
            b"Content-Length: 100000\r\n\r\n<EventNotificationAlert>"
        )
        sock.sendall(head if n % 2 else body)
        held.append(sock)
    return held


def closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def alert_of(live, event_id: int, timeout: float = 30) -> dict:
    """The first streamed alert raised by the event ``event_id`` (others may come first)."""
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(live.recv(timeout=max(deadline - time.monotonic(), 0.1)))
        if message["data"].get("source_event") == event_id:
            return message


def tls_context(stack: Stack) -> ssl.SSLContext:
    """Trusts exactly the certificate the stack made at first start."""
    context = ssl.create_default_context(cafile=str(stack.certs / "server.crt"))
    context.check_hostname = True
    return context


def signed_in(stack: Stack) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the stack's own certificate
    session.verify = str(stack.certs / "server.crt")
    base = f"https://127.0.0.1:{stack.ports['https']}"
    session.get(f"{base}/login/", timeout=10).raise_for_status()
    answer = session.post(
        f"{base}/login/",
        timeout=10,
        allow_redirects=False,
        data={"username": "guard", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/login/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def contents(stack: Stack, **env) -> dict:
    result = stack.run("web", ["python", "manage.py", "shell", "-c", CONTENTS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_compose_stack_serves_cameras_and_staff_as_tested(stack):
    # Every service's own health check, as compose runs it.
    for name in ("migrate", "web", "stream", "worker", "beat", "front"):
        result = stack.healthy(name)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}\n{stack.log(name)[-3000:]}"
    if "process_events" in stack.service("processor")["command"]:
        # Its health check pings the Celery worker on `events` that replaces process_events.
        assert stack.alive("processor"), stack.log("processor")[-3000:]
    else:
        assert stack.healthy("processor").returncode == 0, stack.log("processor")[-3000:]
    assert stack.paths.unused() == set() and all(not t.unused() for t in stack.loopback.values())
    for probe in ("/liveness", "/ready", "/health", "/api/v1/health"):
        answer = requests.get(f"http://127.0.0.1:{stack.ports['http']}{probe}", timeout=10)
        assert answer.status_code in (200, 503) and answer.json(), probe
    assert requests.get(f"http://127.0.0.1:{stack.ports['http']}/ready", timeout=10).status_code == 200

    setup = stack.run("web", ["python", "manage.py", "shell", "-c", SETUP])
    assert setup.returncode == 0, setup.stderr
    token = setup.stdout.strip().splitlines()[-1]
    wss = f"wss://127.0.0.1:{stack.ports['https']}/api/v1/events/stream"

    # Staff pages over plain HTTP go to HTTPS; nginx, not Django, decides the port.
    redirect = requests.get(
        f"http://127.0.0.1:{stack.ports['http']}/alerts/", timeout=10, allow_redirects=False
    )
    assert redirect.status_code == 301 and redirect.headers["Location"] == "https://127.0.0.1/alerts/"

    with connect(
        f"{wss}?kind=alert",
        ssl=tls_context(stack),
        subprotocols=["damanat.v1", f"token.{token}"],
        open_timeout=10,
        ping_interval=None,
    ) as live:
        assert live.subprotocol == "damanat.v1"
        assert json.loads(live.recv(timeout=10))["kind"] == "hello"
        idle_since = time.monotonic()
        # A client that can only put the token in the URL: it must not reach any log.
        with connect(f"{wss}?kind=alert&token={token}", ssl=tls_context(stack), open_timeout=10) as fallback:
            assert json.loads(fallback.recv(timeout=10))["kind"] == "hello"

        quiet_pushes(stack, 10)  # warm up: every gunicorn thread has its connection
        normal = quiet_pushes(stack, 60)
        held = slow_sockets(stack)
        try:
            time.sleep(1)
            loaded = quiet_pushes(stack, 60)
            print(
                f"push p99: {p99(normal) * 1000:.1f} ms alone, {p99(loaded) * 1000:.1f} ms with "
                f"{SLOW_SOCKETS} slow sockets held open"
            )
            assert p99(loaded) <= max(2 * p99(normal), p99(normal) + 0.1)
            assert sum(closed_by_server(s, within=20) for s in held) == SLOW_SOCKETS
        finally:
            for sock in held:
                sock.close()

        time.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - idle_since)))
        status, answer, _ = push(stack, *build("fielddetection", zone="restricted-vip", with_picture=True))
        assert status == 200 and answer["status"] == "accepted", answer
        message = alert_of(live, answer["event_id"])
        assert (message["kind"], message["action"]) == ("alert", "created"), message
        idle = time.monotonic() - idle_since
    assert idle >= IDLE_SECONDS

    staff = signed_in(stack)
    base = f"https://127.0.0.1:{stack.ports['https']}"
    event = staff.get(f"{base}/api/v1/events/{answer['event_id']}", timeout=10).json()
    assert wait_until(
        lambda: (
            staff.get(f"{base}/api/v1/events/{answer['event_id']}", timeout=10).json()["status"] == "accepted"
        ),
        timeout=30,
    ), event
    page = staff.get(f"{base}/alerts/{message['data']['id']}/", timeout=10)
    assert page.status_code == 200, message
    [picture] = {part.split('"')[0] for part in page.text.split('src="')[1:] if part.startswith("/media/")}
    seen = staff.get(base + picture, timeout=10)
    assert (seen.status_code, seen.content, seen.headers["Content-Type"]) == (200, TINY_JPEG, "image/jpeg")
    anonymous = requests.get(base + picture, verify=staff.verify, timeout=10, allow_redirects=False)
    assert anonymous.status_code in (302, 403) and anonymous.content != TINY_JPEG
    assert (
        requests.get(
            f"{base}/protected-media/{quote(picture.removeprefix('/media/'))}",
            verify=staff.verify,
            timeout=10,
        ).status_code
        == 404
    )
    assert staff.get(f"{base}/static/damanat/js/staff.js", timeout=10).status_code == 200

    for name in ("front", "stream", "web"):
        assert token not in stack.log(name), f"token in the {name} log"
    assert "token=[scrubbed]" in stack.log("front") + stack.log("stream")

    # Backup, then restore into an empty database and media folder: the same data.
    before = contents(stack)
    backup = stack.run("web", ["python", "manage.py", "backup"])
    assert backup.returncode == 0, backup.stderr
    folder = backup.stdout.split("backup written to ")[1].split(":")[0]
    assert folder.startswith(str(stack.var / "backups"))
    restored = _fresh_database(settings.DATABASES["default"]["NAME"].removeprefix("test_") + "_restored")
    elsewhere = {"DATABASE_URL": restored, "MEDIA_ROOT": str(stack.home / "restored-media")}
    restore = stack.run("web", ["python", "manage.py", "restore", folder], timeout=300, **elsewhere)
    assert restore.returncode == 0, restore.stderr
    assert before["events"] >= 131 and before["alerts"] >= 1 and len(before["media"]) == 1
    assert contents(stack, **elsewhere) == before
    assert all(stack.alive(name) for name in LONG_RUNNING + ("front",))
