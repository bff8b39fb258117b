"""What detector reports do: heartbeats, suspicious-activity alerts, crime reports, watchdog."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.choices import Kind, Severity
from alerts.models import Alert, TransitionNotAllowed
from alerts.services import UNTIL_CLOSED, raise_alert
from alerts.wording import each_language
from cameras.models import Camera
from damanat import numbers
from damanat.celery import task_named
from damanat.outbox.queueing import enqueue

from .crypto import encrypt_json
from .models import CrimeReport, Detector, severity_for
from .roster import choose_staff

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    from alerts.models import Alert

logger = logging.getLogger(__name__)


def connection_data(camera: Camera) -> dict:
    """The decrypted camera object of seed 003 (ip, ports, RTSP URL, credentials)."""
    host = camera.ip_address
    auth = f"{quote(camera.username, safe='')}:{quote(camera.password, safe='')}@" if camera.username else ""
    path = "/" + camera.rtsp_path.lstrip("/") if camera.rtsp_path else ""
    return {
        "ip_address": camera.ip_address,
        # The facility LAN has no public address for cameras; seed clients fall back to ip_address.
        "connection_ip": None,
        "connection_port": camera.rtsp_port,
        "rtsp_url": f"rtsp://{auth}{host}:{camera.rtsp_port}{path}",
        "user_name": camera.username,
        "password": camera.password,
        "api_port": camera.http_port,
        "onvif_port": camera.onvif_port,
    }


def camera_listing(camera: Camera) -> dict:
    return {
        "id": camera.pk,
        "name": camera.name or camera.code,
        "encrypted_data": encrypt_json(connection_data(camera)),
        "lat": float(camera.latitude) if camera.latitude is not None else None,
        "lang": float(camera.longitude) if camera.longitude is not None else None,
        "storage_type": camera.storage_type,
        "police_station_id": camera.police_station_id,
    }


@dataclass
class Heartbeat:
    accepted: list[int]
    ignored: list[int]
    recovered: bool


def offline_group_key(detector: Detector) -> str:
    return f"detector_offline|detector:{detector.pk}"


def record_heartbeat(detector: Detector, camera_ids: list[int], at: datetime | None = None) -> Heartbeat:
    """Mark the detector alive; a detector coming back resolves its offline alert."""
    assigned = set(detector.assigned_cameras().filter(pk__in=camera_ids).values_list("pk", flat=True))
    accepted = [i for i in dict.fromkeys(camera_ids) if i in assigned]
    ignored = [i for i in dict.fromkeys(camera_ids) if i not in assigned]
    recovered = detector.mark_heartbeat(accepted, at=at)
    if recovered:
        resolve_alerts(
            Alert.objects.active().filter(group_key=offline_group_key(detector)),
            _("Heartbeat received again."),
            at=at,
        )
    return Heartbeat(accepted, ignored, recovered)


def resolve_alerts(alerts: Iterable[Alert], note: str, at: datetime | None = None) -> int:
    """Resolve through the alert's own transition, so its history says why."""
    resolved = 0
    for alert in alerts:
        try:
            alert.resolve(by=None, note=note)
            resolved += 1
        except TransitionNotAllowed:
            continue  # closed by staff in the meantime
    return resolved


def suspicious_group_key(camera: Camera) -> str:
    return f"suspicious_activity|camera:{camera.pk}"


def report_suspicious(
    detector: Detector,
    camera: Camera,
    confidence: float,
    alert_type: str = "suspicious",
    at: datetime | None = None,
) -> Alert:
    """Open the camera's suspicious-activity alert, or update it while it is still going."""
    severity = severity_for(confidence)
    with transaction.atomic():
        raised = raise_alert(
            Kind.SUSPICIOUS_ACTIVITY,
            severity=severity,
            camera=camera,
            params={
                "camera": each_language(lambda: camera.display_name or camera.code),
                "detector": detector.name,
                "type": alert_type,
                "confidence": confidence,
            },
            group_key=suspicious_group_key(camera),
            cooldown_seconds=settings.DETECTOR_ALERT_COOLDOWN_SECONDS,
            at=at,
        )
    # A repeat with a higher confidence escalates the open alert (raise_alert does that).
    return raised.alert


def stop_suspicious(detector: Detector, camera: Camera, at: datetime | None = None) -> int:
    note = _("Scene ended (reported by %(detector)s).") % {"detector": detector.name}
    alerts = Alert.objects.active().filter(group_key=suspicious_group_key(camera))
    return resolve_alerts(alerts, note, at=at)


def report_crime(
    detector: Detector,
    camera: Camera,
    *,
    crime_type: str,
    confidence_score: float,
    start_time: datetime,
    end_time: datetime,
) -> CrimeReport:
    """Store the report, raise its crime alert, assign it, then fetch the evidence."""
    with transaction.atomic():
        report = CrimeReport.objects.create(
            detector=detector,
            camera=camera,
            crime_type=crime_type,
            confidence_score=confidence_score,
            severity=severity_for(confidence_score),
            start_time=start_time,
            end_time=end_time,
        )
        guard = choose_staff(camera)
        alert = raise_alert(
            Kind.CRIME,
            severity=report.severity,
            camera=camera,
            params=crime_params(report, guard),
            group_key=f"crime|report:{report.pk}",
            cooldown_seconds=0,
        ).alert
        if guard is not None:
            alert.assign(guard, by=None)
        CrimeReport.objects.filter(pk=report.pk).update(alert=alert)
        report.alert = alert
        transaction.on_commit(lambda: enqueue_evidence(report.pk))
    return report


def crime_params(report: CrimeReport, guard: AbstractBaseUser | None) -> dict:
    """What every notification channel words, naming the guard it was assigned to."""
    camera = report.camera
    return {
        "crime": each_language(report.get_crime_type_display),
        "camera": each_language(lambda: camera.display_name or camera.code),
        "detector": report.detector.name,
        "confidence": report.confidence_score,
        "start": each_language(lambda: numbers.when(report.start_time)),
        "end": each_language(lambda: numbers.when(report.end_time, "TIME")),
        "guard": (guard.get_full_name() or guard.get_username()) if guard is not None else "",
    }


def enqueue_evidence(report_id: int) -> bool:
    """Queue evidence retrieval; if the broker is down the evidence sweep picks it up later."""
    retrieve_evidence = task_named("detectors.retrieve_evidence")

    return enqueue(retrieve_evidence, report_id)


def check_heartbeats(now: datetime | None = None) -> list[Detector]:
    """The watchdog: silent too long → inactive + detector_offline; a minute → a warning."""
    now = now or timezone.now()
    timeout = timedelta(seconds=settings.DETECTOR_HEARTBEAT_TIMEOUT_SECONDS)
    for late in Detector.objects.silent_since(now - timeout / 2).exclude(
        pk__in=Detector.objects.silent_since(now - timeout)
    ):
        logger.warning("detector %s: no heartbeat since %s", late.email, late.last_heartbeat_at)
    went_offline = []
    for detector in Detector.objects.silent_since(now - timeout):
        if detector.mark_inactive(now - timeout, at=now):
            _raise_offline(detector, now)
            went_offline.append(detector)
    return went_offline


def _raise_offline(detector: Detector, now: datetime) -> None:
    cameras = ", ".join(c.code for c in detector.assigned_cameras()) or "-"
    raise_alert(
        Kind.DETECTOR_OFFLINE,
        severity=Severity.HIGH,
        params={
            "name": detector.name,
            "cameras": cameras,
            "last": each_language(
                lambda: numbers.when(detector.last_heartbeat_at) if detector.last_heartbeat_at else _("never")
            ),
        },
        group_key=offline_group_key(detector),
        cooldown_seconds=UNTIL_CLOSED,
        at=now,
    )
    logger.warning("detector %s marked inactive (no heartbeat)", detector.email)
