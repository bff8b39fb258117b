"""Raising alerts: the one function every app calls, for one alert or for a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_save
from django.utils import timezone

from . import fanout
from .choices import Activity, DeliveryReason, Kind, Severity, severity_rank
from .models import Alert, AlertActivity
from .wording import render_in

# cooldown_seconds=UNTIL_CLOSED: every repeat joins the active alert for as long as it is
# open (a misconfigured floor, a silent detector); once closed, the next repeat opens anew.
UNTIL_CLOSED = -1
if TYPE_CHECKING:
    from cameras.models import Camera, CameraEvent
    from parking.models import Zone


@dataclass
class Raised:
    alert: Alert
    created: bool
    escalated: bool = False


@dataclass
class AlertSpec:
    """One alert to raise: what ``raise_alert`` takes, as a value a batch can collect."""

    kind: str
    title: str
    severity: str = Severity.MEDIUM
    camera: Camera | None = None
    zone: Zone | None = None
    plate: str = ""
    source_event: CameraEvent | None = None
    description: str = ""
    group_key: str | None = None
    cooldown_seconds: int | None = None
    at: datetime | None = None
    params: dict | None = None
    key: str = field(init=False, default="")
    moment: datetime = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.key = self.group_key or default_group_key(self.kind, self.camera, self.zone, self.plate)
        self.moment = self.at or timezone.now()
        if self.params is not None:
            self.title, self.description = render_in("en", self.kind, self.params)

    @property
    def joins_from(self) -> datetime | None:
        """An active alert last seen since then takes this repeat; None: any active alert."""
        cooldown = self.cooldown_seconds
        if cooldown == UNTIL_CLOSED:
            return None
        seconds = settings.INTRUSION_COOLDOWN_SECONDS if cooldown is None else cooldown
        return self.moment - timedelta(seconds=seconds)

    def joins(self, alert: Alert) -> bool:
        return self.joins_from is None or alert.last_seen_at >= self.joins_from


def default_group_key(
    kind: str, camera: Camera | None = None, zone: Zone | None = None, plate: str = ""
) -> str:
    return "|".join(
        [kind, str(getattr(camera, "pk", "") or ""), str(getattr(zone, "pk", "") or ""), plate or ""]
    )


def raise_alert(
    kind: Kind | str,
    *,
    title: str = "",
    severity: Severity | str = Severity.MEDIUM,
    camera: Camera | None = None,
    zone: Zone | None = None,
    plate: str = "",
    source_event: CameraEvent | None = None,
    description: str = "",
    group_key: str | None = None,
    cooldown_seconds: int | None = None,
    at: datetime | None = None,
    params: dict | None = None,
) -> Raised:
    """Open an alert, or add an occurrence to the active one with the same key inside the cooldown.

    A new alert, or a repeat with a higher severity (an escalation), is fanned out: one
    Delivery per matching notification channel is written in this transaction and the
    sending task is queued once it commits. With ``params`` the title and description are
    worded from the kind and them, in each reader's language (alerts.wording).
    """
    return raise_alerts(
        [
            AlertSpec(
                kind,
                title,
                severity,
                camera,
                zone,
                plate,
                source_event,
                description,
                group_key,
                cooldown_seconds,
                at,
                params,
            )
        ]
    )[0]


def raise_alerts(specs: Sequence[AlertSpec]) -> list[Raised]:
    """``raise_alert`` for many, in order: the active alerts of all their keys are read
    (and locked) in one query, each repeated alert is updated once, and the new ones are
    written together (with their history rows and outbox rows)."""
    if not specs:
        return []
    with transaction.atomic():
        latest = _latest_active(specs)
        opened: list[Alert] = []
        repeats: dict[int, list[datetime]] = {}
        raised = []
        for spec in specs:
            current = latest.get(spec.key)
            if current is not None and spec.joins(current):
                raised.append(_repeat(current, spec, repeats))
                continue
            alert = _new_alert(spec)
            opened.append(alert)
            latest[spec.key] = alert
            raised.append(Raised(alert, created=True))
        _open(opened)
        _count_repeats(repeats)
    return raised


def is_repeat(last_seen_at: datetime, moment: datetime, cooldown: timedelta) -> bool:
    """The cooldown: an occurrence this soon after the alert was last seen adds to it."""
    return last_seen_at >= moment - cooldown


def _latest_active(specs: Sequence[AlertSpec]) -> dict[str, Alert]:
    alerts = (
        Alert.objects.active()
        .select_for_update()
        .filter(group_key__in={spec.key for spec in specs})
        .order_by("last_seen_at")
    )
    starts = [spec.joins_from for spec in specs]
    if None not in starts:
        alerts = alerts.filter(last_seen_at__gte=min(starts))
    return {alert.group_key: alert for alert in alerts}


def _repeat(alert: Alert, spec: AlertSpec, repeats: dict[int, list[datetime]]) -> Raised:
    alert.occurrences += 1
    alert.last_seen_at = max(alert.last_seen_at, spec.moment)
    if alert.pk is None:
        # Opened earlier in this batch and not written yet: it is opened at the higher severity.
        if severity_rank(spec.severity) > severity_rank(alert.severity):
            alert.severity = spec.severity
        return Raised(alert, created=False)
    repeats.setdefault(alert.pk, []).append(spec.moment)
    escalated = alert.escalate(spec.severity, at=spec.moment)
    if escalated:
        fanout.notify(alert, DeliveryReason.ESCALATED)
    return Raised(alert, created=False, escalated=escalated)


def _count_repeats(repeats: dict[int, list[datetime]]) -> None:
    now = timezone.now()
    for pk, moments in repeats.items():
        # Greatest: a camera re-sending an older event must not move last_seen backwards.
        Alert.objects.filter(pk=pk).update(
            occurrences=F("occurrences") + len(moments),
            last_seen_at=Greatest(F("last_seen_at"), Value(max(moments))),
            updated_at=now,
        )


def _new_alert(spec: AlertSpec) -> Alert:
    return Alert(
        kind=spec.kind,
        severity=spec.severity,
        camera=spec.camera,
        zone=spec.zone,
        plate=spec.plate,
        source_event=spec.source_event,
        event_type=getattr(spec.source_event, "event_type", "") or "",
        title=spec.title[:200],
        description=spec.description,
        params=spec.params or {},
        group_key=spec.key,
        first_seen_at=spec.moment,
        last_seen_at=spec.moment,
    )


def _open(alerts: list[Alert]) -> None:
    """Write new alerts in one INSERT; their receivers (audit, metrics, the stream and
    exporters) hear of each as from a save, since bulk_create sends no signals."""
    if not alerts:
        return
    Alert.objects.bulk_create(alerts)
    AlertActivity.objects.bulk_create(
        [
            AlertActivity(
                alert=alert,
                action=Activity.OPENED,
                text="" if alert.params else alert.description[:500],
                at=alert.first_seen_at,
            )
            for alert in alerts
        ]
    )
    for alert in alerts:
        post_save.send(
            sender=Alert, instance=alert, created=True, update_fields=None, raw=False, using=alert._state.db
        )
    fanout.notify_many(alerts, DeliveryReason.CREATED)
