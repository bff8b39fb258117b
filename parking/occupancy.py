"""UC3: camera region events move zone counts; a zone crossing the threshold raises one alert."""
from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from alerts.choices import Kind, Severity
from alerts.services import raise_alert
from cameras.choices import EventType

from . import counting
from .models import Zone

logger = logging.getLogger(__name__)
DELTAS = {EventType.REGION_ENTRANCE.lower(): 1, EventType.REGION_EXITING.lower(): -1}
# Seconds within which a zone-full repeat groups into the same alert; arming already
# keeps a flickering zone from raising twice, this only guards a manual re-arm.
FULL_ALERT_COOLDOWN_SECONDS = 3600


def count_region_event(event) -> None:
    """The dispatch handler for regionEntrance (+1) and regionExiting (-1)."""
    delta = DELTAS.get(event.event_type.lower())
    if delta is None or event.event_state == "inactive":
        return
    if not event.region_id:
        logger.warning("%s event %s without a regionID: not counted", event.event_type, event.pk)
        return
    zone = Zone.for_region(event.camera, event.region_id)
    if zone is None or not zone.is_active or not zone.counts_target(event.detection_target):
        return
    applied = counting.change_zone(zone, delta, counting.Cause.CAMERA_EVENT, camera_event=event)
    logger.debug("zone %s: %s/%s", zone.pk, applied.count, zone.capacity)
    check_capacity(zone, source_event=event)


def correct_zone_count(zone: Zone, value: int, *, user, reason: str) -> counting.Applied:
    """Staff set the count (admin action or API); the ledger keeps who and why."""
    applied = counting.correct_zone(zone, value, user=user, reason=reason)
    check_capacity(zone)
    return applied


def _ratio(zone: Zone) -> float | None:
    return zone.current_count / zone.capacity if zone.capacity else None


def check_capacity(zone: Zone, source_event=None) -> bool:
    """Raise occupancy_full once per crossing; re-arm below the threshold minus the margin.

    Arming is a compare-and-set on the zone row, so concurrent events raise one alert.
    Returns True when an alert was raised.
    """
    ratio = _ratio(zone)
    if ratio is None:
        return False
    threshold = settings.OCCUPANCY_ALERT_THRESHOLD
    if ratio < threshold - settings.OCCUPANCY_ALERT_REARM_MARGIN:
        Zone.objects.filter(pk=zone.pk, full_alert_armed=False).update(full_alert_armed=True)
        return False
    if ratio < threshold:
        return False
    if not Zone.objects.filter(pk=zone.pk, full_alert_armed=True).update(full_alert_armed=False):
        return False
    _raise_full(zone, source_event)
    return True


def _raise_full(zone: Zone, source_event) -> None:
    percent = round(zone.current_count / zone.capacity * 100)
    raise_alert(
        Kind.OCCUPANCY_FULL, severity=Severity.MEDIUM, camera=zone.camera, zone=zone,
        source_event=source_event, cooldown_seconds=FULL_ALERT_COOLDOWN_SECONDS,
        title=_("Zone %(zone)s at %(percent)s%% capacity") % {"zone": zone, "percent": percent},
        description=_("%(count)s vehicles counted for %(capacity)s spaces.") % {
            "count": zone.current_count, "capacity": zone.capacity})
