"""Raising alerts: the one function every app calls."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .choices import Kind, Severity
from .models import Alert


@dataclass
class Raised:
    alert: Alert
    created: bool


def default_group_key(kind: str, camera=None, zone=None, plate: str = "") -> str:
    return "|".join([kind, str(getattr(camera, "pk", "") or ""), str(getattr(zone, "pk", "") or ""),
                     plate or ""])


def raise_alert(kind: Kind | str, *, title: str, severity: Severity | str = Severity.MEDIUM,
                camera=None, zone=None, plate: str = "", source_event=None, description: str = "",
                group_key: str | None = None, cooldown_seconds: int | None = None,
                at=None) -> Raised:
    """Open an alert, or add an occurrence to the active one with the same key inside the cooldown."""
    now = at or timezone.now()
    key = group_key or default_group_key(kind, camera, zone, plate)
    cooldown = timedelta(seconds=settings.INTRUSION_COOLDOWN_SECONDS
                         if cooldown_seconds is None else cooldown_seconds)
    with transaction.atomic():
        recent = (Alert.objects.active().select_for_update()
                  .filter(group_key=key, last_seen_at__gte=now - cooldown)
                  .order_by("-last_seen_at").first())
        if recent is not None:
            Alert.objects.filter(pk=recent.pk).update(
                occurrences=F("occurrences") + 1, last_seen_at=now, updated_at=now)
            recent.refresh_from_db()
            return Raised(recent, created=False)
        alert = Alert.objects.create(
            kind=kind, severity=severity, camera=camera, zone=zone, plate=plate,
            source_event=source_event, event_type=getattr(source_event, "event_type", "") or "",
            title=title[:200], description=description, group_key=key,
            first_seen_at=now, last_seen_at=now)
    return Raised(alert, created=True)
