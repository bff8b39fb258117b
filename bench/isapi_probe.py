"""How fast the ISAPI client provisions and probes cameras (fake devices on loopback).

    python bench/isapi_probe.py [--cameras 100]

Prints: provisioning time per camera (deviceInfo, HTTP host, 5 triggers read + linked,
Digest auth included) and the wall time of one health round over N cameras with the
same thread pool the every-minute task uses.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")

import django  # noqa: E402

django.setup()

from cameras.isapi import HttpHost, ISAPIClient  # noqa: E402
from cameras.provisioning.health import PROBE_THREADS  # noqa: E402
from cameras.testing.fake_isapi import DEFAULT_TRIGGERS, FakeISAPICamera  # noqa: E402


def provision(cam: FakeISAPICamera) -> None:
    with ISAPIClient(
        cam.host, port=cam.port, username=cam.username, password=cam.password, timeout=5
    ) as device:
        device.device_info()
        device.set_http_host(
            HttpHost(id=1, url="/api/v1/events/camera", ip_address="192.168.1.50", port=8080)
        )
        for trigger in DEFAULT_TRIGGERS:
            device.link_trigger(trigger)


def probe(cam: FakeISAPICamera) -> None:
    with ISAPIClient(
        cam.host, port=cam.port, username=cam.username, password=cam.password, timeout=5
    ) as device:
        device.device_info()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=100)
    args = parser.parse_args()
    cams = [FakeISAPICamera().start() for _ in range(args.cameras)]
    try:
        started = time.perf_counter()
        for cam in cams:
            provision(cam)
        per_camera = (time.perf_counter() - started) / len(cams)
        print(
            f"provisioning: {per_camera * 1000:.1f} ms per camera "
            f"(sequential, {len(DEFAULT_TRIGGERS)} triggers, {len(cams)} cameras)"
        )
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=PROBE_THREADS) as pool:
            list(pool.map(probe, cams))
        print(
            f"health round: {(time.perf_counter() - started) * 1000:.0f} ms for {len(cams)} cameras "
            f"({PROBE_THREADS} threads)"
        )
    finally:
        for cam in cams:
            cam.stop()


if __name__ == "__main__":
    main()
