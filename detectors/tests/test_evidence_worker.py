"""Evidence retrieval by a real Celery worker over Redis, retry included."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from damanat.testing import use_celery_broker
from detectors.models import CrimeReport, Detector

START = datetime(2026, 2, 27, 14, 28, tzinfo=UTC)


@pytest.fixture
def redis_celery(redis_url):
    from damanat.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    app.conf.task_always_eager = False
    use_celery_broker(redis_url)
    yield app
    use_celery_broker(saved[0], saved[1])
    app.conf.task_always_eager = saved[2]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_fetches_the_evidence_after_a_busy_device(
    redis_celery, fake_camera, settings, client_from_ip
):
    from celery.contrib.testing.worker import start_worker

    settings.EVIDENCE_RETRY_BASE_SECONDS = 1
    camera = fake_camera.create_camera(code="CAM-W")
    detector = Detector(name="w", email="w@x.local", allowed_ip="10.20.0.5")
    detector.set_password("pw")
    detector.save()
    detector.cameras.add(camera)
    client = client_from_ip()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {detector.issue_token()}")
    fake_camera.add_recording(START, timedelta(minutes=4), content=b"clip-from-worker")
    settings.ISAPI_BUSY_RETRIES = 0  # the client's own busy retries would absorb the error
    fake_camera.fail("/ISAPI/ContentMgmt/search", "deviceBusy", times=1)

    with start_worker(
        redis_celery, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        response = client.post(
            "/api/model/crime",
            {
                "camera_id": camera.pk,
                "crime_type": "robbery",
                "confidence_score": 88,
                "start_time": "2026-02-27T14:28:00Z",
                "end_time": "2026-02-27T14:32:00Z",
            },
            format="json",
        )
        report = CrimeReport.objects.get(pk=response.json()["data"]["crime_id"])
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.evidence_status in ("stored", "failed", "not_found"):
                break
            time.sleep(0.1)

    assert report.evidence_status == "stored", report.evidence_error
    assert report.evidence_attempts == 2
    assert report.evidence.get().size == len(b"clip-from-worker")
