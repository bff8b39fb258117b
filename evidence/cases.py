"""What belongs to a case: its alerts, camera events, pictures, clips and the people who acted.

An alert groups the repeats of its cooldown, so its events are the source event and every
event of the same type on its camera between first and last seen. A visit has the events
of its entry and exit and the alerts raised on its plate while it lasted. A crime report
has its alert, its recorded clips and the events of its camera during the reported window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alerts.models import Alert, AlertActivity
from anpr.models import Visit
from cameras.models import CameraEvent
from detectors.models import CrimeReport, Evidence

from .models import Subject

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import Model, QuerySet

    from cameras.models import Camera
    from parking.models import Zone

SUBJECT_MODELS = {Subject.ALERT: Alert, Subject.VISIT: Visit, Subject.CRIME_REPORT: CrimeReport}
# A case is handed over, not a day's traffic: a runaway grouping stops here.
MAX_EVENTS = 500
# Camera clocks and the receive time differ by a little.
EVENT_SLACK = timedelta(seconds=2)


@dataclass
class Case:
    subject_type: str
    subject: object
    alerts: list[Alert] = field(default_factory=list)
    events: list[CameraEvent] = field(default_factory=list)
    clips: list[Evidence] = field(default_factory=list)
    visit: Visit | None = None
    report: CrimeReport | None = None

    @property
    def camera(self) -> Camera | None:
        return getattr(self.subject, "camera", None) or next(
            (e.camera for e in self.events if e.camera), None
        )

    @property
    def plate(self) -> str:
        return getattr(self.subject, "plate", "") or next((a.plate for a in self.alerts if a.plate), "")

    @property
    def zone(self) -> Zone | None:
        return next((a.zone for a in self.alerts if a.zone), None)

    def history(self) -> list[AlertActivity]:
        return list(AlertActivity.objects.filter(alert__in=self.alerts).select_related("user", "alert"))


def subject_model(subject_type: str) -> type[Model]:
    return SUBJECT_MODELS[Subject(subject_type)]


def subject_type_of(instance: Model) -> str:
    return next(kind for kind, model in SUBJECT_MODELS.items() if isinstance(instance, model))


def load_subject(subject_type: str, subject_id: int) -> Model:
    return get_object_or_404(subject_model(subject_type), pk=subject_id)


def case_of(subject: Model) -> Case:
    builders = {Alert: _alert_case, Visit: _visit_case, CrimeReport: _report_case}
    case = builders[type(subject)](subject)
    case.events = _unique(case.events)[:MAX_EVENTS]
    return case


def _alert_case(alert: Alert) -> Case:
    case = Case(Subject.ALERT, alert, alerts=[alert])
    case.events = _alert_events(alert)
    report = CrimeReport.objects.filter(alert=alert).first()
    if report is not None:
        case.report, case.clips = report, list(report.evidence.all())
    return case


def _visit_case(visit: Visit) -> Case:
    case = Case(Subject.VISIT, visit, visit=visit)
    passages = [p for p in (visit.entry, visit.exit) if p is not None]
    case.events = [p.event for p in passages if p.event_id]
    start = visit.entered_at or visit.exited_at
    end = visit.exited_at or visit.closed_at or timezone.now()
    if visit.plate and start:
        case.alerts = list(
            Alert.objects.filter(
                plate=visit.plate, first_seen_at__gte=start, first_seen_at__lte=end
            ).order_by("first_seen_at")
        )
    for alert in case.alerts:
        case.events += _alert_events(alert)
    return case


def _report_case(report: CrimeReport) -> Case:
    case = Case(Subject.CRIME_REPORT, report, report=report, clips=list(report.evidence.all()))
    if report.alert_id:
        case.alerts = [report.alert]
        case.events = _alert_events(report.alert)
    case.events += list(_events_between(report.camera_id, report.start_time, report.end_time))
    return case


def _alert_events(alert: Alert) -> list[CameraEvent]:
    events = [alert.source_event] if alert.source_event_id else []
    if alert.camera_id and alert.event_type:
        events += list(
            _events_between(
                alert.camera_id, alert.first_seen_at, alert.last_seen_at, event_type=alert.event_type
            )
        )
    return events


def _events_between(
    camera_id: int | None, start: datetime, end: datetime, **match: Any
) -> QuerySet[CameraEvent]:
    window = (start - EVENT_SLACK, end + EVENT_SLACK)
    return (
        CameraEvent.objects.filter(camera_id=camera_id, **match)
        .filter(Q(trigger_time__range=window) | Q(trigger_time=None, received_at__range=window))
        .select_related("camera")
        .order_by("received_at", "id")[:MAX_EVENTS]
    )


def _unique(events: list[CameraEvent]) -> list[CameraEvent]:
    seen: dict[int, CameraEvent] = {}
    for event in events:
        seen.setdefault(event.pk, event)
    return sorted(seen.values(), key=lambda e: (e.occurred_at, e.pk))
