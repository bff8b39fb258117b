"""Evidence retrieval against the fake ISAPI camera on 127.0.0.1."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from detectors import evidence
from detectors.models import CrimeReport, Detector
from detectors.tasks import retrieve_evidence

START = datetime(2026, 2, 27, 14, 28, tzinfo=UTC)
END = datetime(2026, 2, 27, 14, 32, tzinfo=UTC)
CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


def searches(fake_camera):
    return [r for r in fake_camera.requests_to("/ISAPI/ContentMgmt/search") if r.authorized]


@pytest.fixture
def device_camera(fake_camera, db):
    return fake_camera.create_camera(code="CAM-EV")


@pytest.fixture
def report(device_camera):
    detector = Detector.objects.create(name="m", email="m@x.local", allowed_ip="10.0.0.1")
    return CrimeReport.objects.create(
        detector=detector,
        camera=device_camera,
        crime_type="theft",
        confidence_score=90,
        severity="critical",
        start_time=START,
        end_time=END,
    )


def test_the_recording_is_stored_with_its_sha256(fake_camera, report):
    fake_camera.add_recording(START - timedelta(minutes=2), timedelta(minutes=10), content=CLIP)

    outcome = evidence.retrieve(report)

    assert outcome.status == CrimeReport.EvidenceStatus.STORED and outcome.retry_in is None
    report.refresh_from_db()
    assert report.evidence_status == "stored" and report.evidence_error == ""
    clip = report.evidence.get()
    assert clip.sha256 == hashlib.sha256(CLIP).hexdigest() and clip.size == len(CLIP)
    with clip.file.open("rb") as stored:
        assert stored.read() == CLIP
    assert clip.clip_start <= START and clip.clip_end >= END
    body = searches(fake_camera)[0].body
    assert b"2026-02-27T14:28:00Z" in body and b"2026-02-27T14:32:00Z" in body


def test_every_overlapping_segment_is_attached_and_others_are_not(fake_camera, report):
    fake_camera.add_recording(START - timedelta(minutes=5), timedelta(minutes=6), content=b"first")
    fake_camera.add_recording(START + timedelta(minutes=1), timedelta(minutes=6), content=b"second")
    fake_camera.add_recording(END + timedelta(hours=1), timedelta(minutes=6), content=b"later")

    evidence.retrieve(report)

    assert sorted(e.size for e in report.evidence.all()) == [len(b"first"), len(b"second")]


def test_no_recording_is_visible_on_the_report(fake_camera, report):
    fake_camera.add_recording(END + timedelta(hours=2), timedelta(minutes=5))

    outcome = evidence.retrieve(report)

    assert outcome.status == "not_found" and outcome.retry_in is None
    report.refresh_from_db()
    assert report.evidence_status == "not_found" and "no recording" in report.evidence_error
    assert not report.evidence.exists()


def test_a_device_error_is_retried_with_backoff_then_fails_visibly(fake_camera, report, settings):
    settings.EVIDENCE_MAX_ATTEMPTS = 3
    settings.EVIDENCE_RETRY_BASE_SECONDS = 10
    fake_camera.fail("/ISAPI/ContentMgmt/search", "deviceError", times=None)

    delays = [evidence.retrieve(report).retry_in for _ in range(3)]

    assert delays == [10, 20, None]
    report.refresh_from_db()
    assert report.evidence_status == "failed" and report.evidence_attempts == 3
    assert "Failed after 3 attempt(s)" in report.evidence_error
    assert "deviceError" in report.evidence_error or "device" in report.evidence_error.lower()


def test_a_transient_error_then_success(fake_camera, report, settings):
    settings.ISAPI_BUSY_RETRIES = 0  # the client's own busy retries would absorb the error
    fake_camera.add_recording(START, timedelta(minutes=4), content=CLIP)
    fake_camera.fail("/ISAPI/ContentMgmt/search", "deviceBusy", times=1)

    first = evidence.retrieve(report)
    second = evidence.retrieve(report)

    assert first.retry_in is not None and second.status == "stored"
    report.refresh_from_db()
    assert report.evidence_attempts == 2 and report.evidence.count() == 1


def test_wrong_camera_credentials_fail_at_once(fake_camera, report, device_camera):
    device_camera.password = "wrong"
    device_camera.save()
    report.refresh_from_db()

    outcome = evidence.retrieve(report)

    assert outcome.status == "failed" and outcome.retry_in is None
    report.refresh_from_db()
    assert report.evidence_attempts == 1 and "authentication" in report.evidence_error


def test_an_unreachable_camera_is_retried(report, device_camera, fake_camera):
    fake_camera.stop()

    outcome = evidence.retrieve(report)

    assert outcome.retry_in is not None
    report.refresh_from_db()
    assert report.evidence_status == "retrieving" and "retrying" in report.evidence_error


def test_a_recording_over_the_size_bound_is_refused(fake_camera, report, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    fake_camera.add_recording(START, timedelta(minutes=4), content=CLIP)

    assert evidence.retrieve(report).status == "failed"
    assert not report.evidence.exists()


def test_a_stored_report_is_not_fetched_again(fake_camera, report):
    fake_camera.add_recording(START, timedelta(minutes=4), content=CLIP)
    evidence.retrieve(report)

    assert evidence.retrieve(report).status == "skipped"
    assert len(searches(fake_camera)) == 1


def test_the_celery_task_retries_until_the_outcome(fake_camera, report, settings):
    settings.EVIDENCE_MAX_ATTEMPTS = 3
    fake_camera.fail("/ISAPI/ContentMgmt/search", "deviceError", times=None)

    retrieve_evidence.apply(args=(report.pk,))

    report.refresh_from_db()
    assert report.evidence_status == "failed" and report.evidence_attempts == 3
    assert len(searches(fake_camera)) == 3


def test_the_playback_uri_is_narrowed_to_the_reported_window():
    uri = (
        "rtsp://10.0.0.1/Streaming/tracks/101/?starttime=20260227T142000Z"
        "&endtime=20260227T150000Z&name=01000001&size=99"
    )

    narrowed = evidence.clamp_uri(uri, START, END)

    assert "starttime=20260227T142800Z" in narrowed and "endtime=20260227T143200Z" in narrowed
    assert "name=01000001" in narrowed
    assert evidence.clamp_uri("rtsp://x/y?name=1", START, END) == "rtsp://x/y?name=1"
