"""Figures for the detector API (/api/model), measured in-process through Django's stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_damanat \
        .venv/bin/python bench/detectors_api.py --cameras 50 --requests 500

Migrates the database, creates a bench detector with N assigned cameras (removed at the
end), then times: Laravel-style encryption of one camera's data, GET cameras, heartbeat,
alert (repeat on one open alert) and login (password hashing included). Prints ms/request
and requests/s for each (one client, sequential: the per-request cost, not a load test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from alerts.models import Alert  # noqa: E402
from cameras.models import Camera  # noqa: E402
from detectors.crypto import encrypt_json  # noqa: E402
from detectors.models import Detector  # noqa: E402
from detectors.services import connection_data  # noqa: E402

EMAIL = "bench-detector@damanat.local"
PASSWORD = "bench-detector-pass-1"


def timed(label: str, count: int, call) -> None:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(samples)
    p99 = sorted(samples)[int(len(samples) * 0.99) - 1]
    print(
        f"{label:<34} {count:>5} x  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
        f"{1000 / statistics.mean(samples):8.0f} req/s"
    )


def setup(cameras: int) -> tuple[Detector, list[Camera]]:
    Detector.objects.filter(email=EMAIL).delete()
    Camera.objects.filter(code__startswith="BENCH-").delete()
    rows = [
        Camera.objects.create(
            code=f"BENCH-{n:03d}",
            name=f"Bench {n}",
            username="admin",
            password="bench-pass",
            ip_address=f"10.99.{n // 250}.{n % 250 + 1}",
        )
        for n in range(cameras)
    ]
    detector = Detector(name="Bench detector", email=EMAIL, allowed_ip="127.0.0.1")
    detector.set_password(PASSWORD)
    detector.save()
    detector.cameras.set(rows)
    return detector, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    detector, cameras = setup(args.cameras)
    client = Client(REMOTE_ADDR="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {detector.issue_token()}"}
    first = cameras[0]
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"{args.cameras} assigned cameras"
    )
    try:
        timed(
            "encrypt one camera (Laravel AES)",
            args.requests * 10,
            lambda: encrypt_json(connection_data(first)),
        )
        timed(
            f"GET cameras ({args.cameras} cameras)",
            max(args.requests // 10, 20),
            lambda: client.get("/api/model/cameras", **headers),
        )
        ids = [c.pk for c in cameras]
        timed(
            "POST heartbeat",
            args.requests,
            lambda: client.post(
                "/api/model/heartbeat", {"camera_ids": ids}, content_type="application/json", **headers
            ),
        )
        timed(
            "POST alert (repeat, one open alert)",
            args.requests,
            lambda: client.post(
                "/api/model/alert",
                {"camera_id": first.pk, "confidence_score": 70},
                content_type="application/json",
                **headers,
            ),
        )
        timed(
            "POST login (PBKDF2 hashing)",
            10,
            lambda: client.post(
                "/api/model/login", {"email": EMAIL, "password": PASSWORD}, content_type="application/json"
            ),
        )
    finally:
        Alert.objects.filter(camera__code__startswith="BENCH-").delete()
        Detector.objects.filter(email=EMAIL).delete()
        Camera.objects.filter(code__startswith="BENCH-").delete()


if __name__ == "__main__":
    main()
