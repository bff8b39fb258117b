"""The Celery tasks run by a real worker against Redis: health check and background plate sync."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from alerts.models import Alert
from anpr.models import Vehicle
from anpr.plate_sync import PENDING_KEY
from cameras.models import Camera
from cameras.tasks import check_camera_health
from damanat.testing import wait_until

# A worker thread and the test share the database: SQLite's in-memory test database locks.
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(celery_worker_on_redis):
    cache.delete(PENDING_KEY)
    yield


def test_health_task_marks_cameras_and_raises_offline(worker, fake_camera, settings):
    settings.CAMERA_OFFLINE_AFTER_SECONDS = 0
    online = fake_camera.create_camera("CAM-01")
    gone = Camera.objects.create(code="CAM-02", ip_address="127.0.0.2", http_port=9, password="x")

    check_camera_health.delay()

    assert wait_until(lambda: Camera.objects.get(pk=online.pk).health == Camera.Health.ONLINE)
    assert wait_until(lambda: Alert.objects.filter(kind="camera_offline", camera=gone).exists())
    assert Camera.objects.get(pk=gone.pk).health == Camera.Health.REFUSED


def test_registry_change_reaches_the_gate_camera_through_the_worker(worker, fake_camera, settings):
    settings.PLATE_SYNC_DELAY_SECONDS = 0
    fake_camera.create_camera("CAM-ENTRY", role=Camera.Role.ENTRY_GATE)

    Vehicle.objects.create(plate="DRS777", list=Vehicle.List.BLOCKED)

    assert wait_until(
        lambda: (
            [(e["LicensePlate"], e["listType"]) for e in fake_camera.plates.values()]
            == [("DRS777", "blackList")]
        )
    )
