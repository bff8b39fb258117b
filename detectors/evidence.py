"""Crime evidence: the camera's recording between start_time and end_time, fetched over ISAPI.

Recording search, then download of each matching segment (clamped to the reported window
through the playback URI's starttime/endtime), stored with its SHA-256 and attached to the
report. Transient device trouble is retried with exponential backoff by the Celery task;
the outcome and the last error are always visible on the report.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.files import File
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cameras.isapi import ISAPIClient, Recording, errors

from .models import CrimeReport, Evidence

logger = logging.getLogger(__name__)
Status = CrimeReport.EvidenceStatus

# Worth another try later: the device was unreachable, busy or answered garbage.
TRANSIENT = (errors.ConnectionFailed, errors.DeviceBusy, errors.DeviceError, errors.BadResponse)


@dataclass
class Outcome:
    status: str
    retry_in: int | None = None


class TooLarge(Exception):
    pass


class HashingWriter:
    """A file wrapper that hashes and counts what is written, and enforces the size bound."""

    def __init__(self, target: IO[bytes], limit: int) -> None:
        self.target, self.limit = target, limit
        self.sha256, self.size = hashlib.sha256(), 0

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.size > self.limit:
            raise TooLarge(f"recording larger than {self.limit} bytes")
        self.sha256.update(chunk)
        return self.target.write(chunk)


def retrieve(report: CrimeReport) -> Outcome:
    if not _claim(report):
        return Outcome("skipped")
    try:
        stored = _download_all(report)
    except errors.ISAPIError as exc:
        return _failed(report, exc, transient=isinstance(exc, TRANSIENT))
    except TooLarge as exc:
        return _failed(report, exc, transient=False)
    status = Status.STORED if stored or report.evidence.exists() else Status.NOT_FOUND
    error = (
        ""
        if status == Status.STORED
        else str(_("The camera has no recording between the reported start and end times."))
    )
    _finish(report, status, error)
    return Outcome(status)


def _claim(report: CrimeReport) -> bool:
    claimed = CrimeReport.objects.filter(
        pk=report.pk, evidence_status__in=[Status.PENDING, Status.RETRIEVING]
    ).update(
        evidence_status=Status.RETRIEVING,
        evidence_attempts=F("evidence_attempts") + 1,
        evidence_checked_at=timezone.now(),
    )
    report.refresh_from_db(fields=["evidence_status", "evidence_attempts"])
    return claimed == 1


def _download_all(report: CrimeReport) -> int:
    camera = report.camera
    stored = 0
    with ISAPIClient.for_camera(camera, timeout=settings.ISAPI_TIMEOUT_SECONDS) as device:
        recordings = device.search_recordings(report.start_time, report.end_time, channel=camera.channel)
        # A retry after a partial success does not fetch the same segment twice.
        done = set(report.evidence.values_list("playback_uri", flat=True))
        for recording in recordings:
            if recording.playback_uri not in done:
                _store(report, device, recording)
                stored += 1
    return stored


def clamp_uri(uri: str, start: datetime, end: datetime) -> str:
    """The playback URI narrowed to the reported window, when it carries start/end times."""
    parts = urlsplit(uri)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "starttime" not in query or "endtime" not in query:
        return uri
    stamp = "%Y%m%dT%H%M%SZ"
    query["starttime"] = max(query["starttime"], start.astimezone(UTC).strftime(stamp))
    query["endtime"] = min(query["endtime"], end.astimezone(UTC).strftime(stamp))
    return urlunsplit(parts._replace(query=urlencode(query, safe=":")))


def _download(
    device: ISAPIClient, recording: Recording, report: CrimeReport, spool: IO[bytes]
) -> tuple[HashingWriter, bool]:
    """Ask for the reported window only; devices that refuse a narrowed URI send the segment."""
    clipped = clamp_uri(recording.playback_uri, report.start_time, report.end_time)
    if clipped != recording.playback_uri:
        writer = HashingWriter(spool, settings.EVIDENCE_MAX_BYTES)
        try:
            device.download_recording(clipped, writer)
            return writer, True
        except (errors.BadXmlContent, errors.InvalidOperation) as exc:
            logger.info(
                "crime report %s: clipped download refused (%s); fetching the segment", report.pk, exc
            )
            spool.seek(0)
            spool.truncate()
    writer = HashingWriter(spool, settings.EVIDENCE_MAX_BYTES)
    device.download_recording(recording.playback_uri, writer)
    return writer, False


def _store(report: CrimeReport, device: ISAPIClient, recording: Recording) -> Evidence:
    with tempfile.TemporaryFile() as spool:
        writer, clipped = _download(device, recording, report, spool)
        spool.seek(0)
        name = f"report-{report.pk}-{report.camera.code}-{recording.start:%Y%m%dT%H%M%SZ}.mp4"
        evidence = Evidence.objects.create(
            report=report,
            file=File(spool, name=name),
            sha256=writer.sha256.hexdigest(),
            size=writer.size,
            content_type="video/mp4",
            playback_uri=recording.playback_uri,
            clip_start=max(recording.start, report.start_time) if clipped else recording.start,
            clip_end=min(recording.end, report.end_time) if clipped else recording.end,
        )
    logger.info("crime report %s: stored evidence %s (%d bytes)", report.pk, name, writer.size)
    return evidence


def _failed(report: CrimeReport, exc: Exception, *, transient: bool) -> Outcome:
    attempts = report.evidence_attempts
    if transient and attempts < settings.EVIDENCE_MAX_ATTEMPTS:
        delay = settings.EVIDENCE_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
        CrimeReport.objects.filter(pk=report.pk).update(
            evidence_error=_("Attempt %(n)d failed, retrying in %(s)ds: %(error)s")
            % {"n": attempts, "s": delay, "error": exc}
        )
        logger.warning("crime report %s: evidence attempt %d failed: %s", report.pk, attempts, exc)
        return Outcome(Status.RETRIEVING, retry_in=delay)
    _finish(
        report, Status.FAILED, _("Failed after %(n)d attempt(s): %(error)s") % {"n": attempts, "error": exc}
    )
    logger.error("crime report %s: evidence retrieval failed: %s", report.pk, exc)
    return Outcome(Status.FAILED)


def _finish(report: CrimeReport, status: str, error: str) -> None:
    CrimeReport.objects.filter(pk=report.pk).update(
        evidence_status=status, evidence_error=error, evidence_checked_at=timezone.now()
    )
    report.evidence_status, report.evidence_error = status, error
