"""Raising alerts: the one function every app calls."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import fanout
from .choices import Activity, DeliveryReason, Kind, Severity
from .models import Alert


@dataclass
class Raised:
    alert: Alert
    created: bool
    escalated: bool = False


def default_group_key(kind: str, camera=None, zone=None, plate: str = "") -> str:
    return "|".join([kind, str(getattr(camera, "pk", "") or ""), str(getattr(zone, "pk", "") or ""),
                     plate or ""])


def raise_alert(kind: Kind | str, *, title: str, severity: Severity | str = Severity.MEDIUM,
                camera=None, zone=None, plate: str = "", source_event=None, description: str = "",
                group_key: str | None = None, cooldown_seconds: int | None = None,
                at=None) -> Raised:
    """Open an alert, or add an occurrence to the active one with the same key inside the cooldown.

    A new alert, or a repeat with a higher severity (an escalation), is fanned out: one
    Delivery per matching notification channel is written in this transaction and the
    sending task is queued once it commits.
    """
    now = at or timezone.now()
    key = group_key or default_group_key(kind, camera, zone, plate)
    cooldown = timedelta(seconds=settings.INTRUSION_COOLDOWN_SECONDS
                         if cooldown_seconds is None else cooldown_seconds)
    with transaction.atomic():
        recent = Alert.objects.repeat_candidate(key, since=now - cooldown)
        if recent is not None:
            recent.add_occurrence(now)
            escalated = recent.escalate(severity, at=now)
            if escalated:
                fanout.notify(recent, DeliveryReason.ESCALATED)
            return Raised(recent, created=False, escalated=escalated)
        alert = Alert.objects.create(
            kind=kind, severity=severity, camera=camera, zone=zone, plate=plate,
            source_event=source_event, event_type=getattr(source_event, "event_type", "") or "",
            title=title[:200], description=description, group_key=key,
            first_seen_at=now, last_seen_at=now)
        alert.history.create(action=Activity.OPENED, text=description[:500], at=now)
        fanout.notify(alert, DeliveryReason.CREATED)
    return Raised(alert, created=True)
