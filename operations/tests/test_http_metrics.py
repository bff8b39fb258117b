"""HTTP request counts and latencies per view on /metrics (django-prometheus)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

COUNT = 'django_http_requests_total_by_view_transport_method_total{{method="GET",transport="http",view="{}"}}'
LATENCY = 'django_http_requests_latency_seconds_by_view_method_{}{{method="GET",view="{}"}}'
LATENCY_BUCKET = (
    'django_http_requests_latency_seconds_by_view_method_bucket{{le="+Inf",method="GET",view="{}"}}'
)


def scrape(client) -> dict[str, float]:
    body = client.get("/metrics").content.decode()
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line and not line.startswith("#")
    }


def test_requests_to_two_views_are_counted_and_timed_per_view(client):
    views = ("health-live", "admin:login")
    before = scrape(client)

    for _ in range(2):
        client.get("/api/v1/health/live")
    client.get("/admin/login/")
    after = scrape(client)

    def grew(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    assert [grew(COUNT.format(view)) for view in views] == [2.0, 1.0]
    assert [grew(LATENCY.format("count", view)) for view in views] == [2.0, 1.0]
    assert [grew(LATENCY_BUCKET.format(view)) for view in views] == [2.0, 1.0]
    assert all(after[LATENCY.format("sum", view)] > 0 for view in views)
    assert 'damanat_cameras{state="online"}' in after  # the domain metrics are still there


def test_with_a_multiprocess_folder_each_process_counts_into_the_shared_sum(tmp_path: Path):
    """Under gunicorn every worker writes its counters to PROMETHEUS_MULTIPROC_DIR."""
    request = (
        "import django; django.setup();from django.test import Client; Client().get('/api/v1/health/live')"
    )
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "damanat.settings",
    }
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-c", request],
            env=environment,
            check=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
    summed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from prometheus_client import CollectorRegistry, generate_latest, multiprocess;"
            "r = CollectorRegistry(); multiprocess.MultiProcessCollector(r); print(generate_latest(r).decode())",
        ],
        env=environment,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    assert f"{COUNT.format('health-live')} 2.0" in summed
    assert f"{LATENCY.format('count', 'health-live')} 2.0" in summed
