"""Beat's snapshot and drift tasks run on a real Celery worker over Redis."""

from __future__ import annotations

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

import parking.tasks  # noqa: F401 — registers the shared tasks on the app below
from damanat.testing import wait_until
from parking.models import OccupancySnapshot

from .conftest import enter


@pytest.fixture
def worker_app(redis_url):
    app = Celery("parking-tests", broker=redis_url, set_as_current=False)
    app.conf.update(
        task_default_queue="parking-tests",
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=False,
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_snapshot_task_runs_on_a_worker_and_writes_the_zone_counts(worker_app, row_a):
    enter("parking-row-A", 3)

    worker_app.send_task("parking.take_snapshot")

    assert wait_until(lambda: OccupancySnapshot.objects.filter(zone=row_a).exists())
    assert OccupancySnapshot.objects.get(zone=row_a).count == 3
