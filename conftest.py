"""Test-wide fixtures and the CI rule that a skipped test is a failed test.

Locally, tests that need PostgreSQL, Redis or Mosquitto skip when the service is
missing. With DAMANAT_REQUIRE_SERVICES=1 (set by .ci/run) every skip becomes a
failure, so nothing silently stops running in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

from damanat.testing import use_celery_broker

# Shared fixtures: ``fake_camera`` (a fake Hikvision ISAPI device on 127.0.0.1).
pytest_plugins = ["cameras.testing.fixtures"]

REQUIRE_SERVICES = os.environ.get("DAMANAT_REQUIRE_SERVICES") == "1"
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
MQTT_TEST_URL = os.environ.get("MQTT_TEST_URL", "mqtt://127.0.0.1:1883")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, but DAMANAT_REQUIRE_SERVICES=1 forbids skips: {report.longrepr}"


def port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    redis_up = port_open(REDIS_TEST_URL, 6379)
    mqtt_up = port_open(MQTT_TEST_URL, 1883)
    browser_ready = bool(shutil.which("chromium") and shutil.which("chromedriver"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not redis_up:
            item.add_marker(pytest.mark.skip(reason=f"needs Redis at {REDIS_TEST_URL}"))
        if "mqtt" in item.keywords and not mqtt_up:
            item.add_marker(pytest.mark.skip(reason=f"needs MQTT broker at {MQTT_TEST_URL}"))
        if "browser" in item.keywords and not browser_ready:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs chromium and chromedriver (apt-get install chromium chromium-driver)"
                )
            )


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests change cameras with QuerySet.update(); the per-process lookup cache has its own test.
    settings.CAMERA_LOOKUP_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _language_reset():
    """A page asked for in Arabic leaves Arabic active in the thread; the next test starts in
    the default language, wherever it sits in the run."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_celery_connections():
    """A connection pool closed by one test's worker must not break the next test's publishing."""
    from damanat.celery import app

    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def eager_celery():
    """Tasks run where they are sent, for the length of the test."""
    from damanat.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def redis_url() -> str:
    return REDIS_TEST_URL


@pytest.fixture
def mqtt_url() -> str:
    return MQTT_TEST_URL


@pytest.fixture
def celery_worker_on_redis(redis_url):
    """A real Celery worker thread consuming from the test Redis; restores the broker after."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from damanat.celery import app

    redis.Redis.from_url(redis_url).flushdb()
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    app.conf.task_always_eager = False
    use_celery_broker(redis_url)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    use_celery_broker(saved[0], saved[1])
    app.conf.task_always_eager = saved[2]
