"""Optional daily reset of a zone's count at a facility-local time of day."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from . import counting
from .models import Zone


def due_moment(zone: Zone, now: datetime) -> datetime | None:
    """Today's reset moment (facility time) when it has passed and not yet been done."""
    if zone.reset_at is None:
        return None
    local = timezone.localtime(now)
    moment = local.replace(hour=zone.reset_at.hour, minute=zone.reset_at.minute, second=0, microsecond=0)
    if moment > now or (zone.last_reset_at is not None and zone.last_reset_at >= moment):
        return None
    return moment


def run_scheduled_resets(now: datetime | None = None) -> list[Zone]:
    """Reset every due zone once; claiming by compare-and-set keeps two workers from both resetting."""
    now = now or timezone.now()
    done = []
    for zone in Zone.objects.filter(is_active=True, reset_at__isnull=False):
        moment = due_moment(zone, now)
        if moment is None:
            continue
        claimed = Zone.objects.filter(pk=zone.pk, last_reset_at=zone.last_reset_at).update(last_reset_at=now)
        if claimed:
            counting.set_zone_count(
                zone,
                0,
                counting.Cause.SCHEDULED_RESET,
                at=now,
                reason=_("Daily reset at %(time)s") % {"time": f"{zone.reset_at:%H:%M}"},
            )
            done.append(zone)
    return done
