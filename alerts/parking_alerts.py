"""Parking announces full zones, drifting gate counters and uncounted vision events
(parking.signals); each becomes an alert here. Connected in ``AlertsConfig.ready``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .choices import Kind, Severity
from .services import UNTIL_CLOSED, AlertSpec, raise_alert, raise_alerts
from .wording import each_language

if TYPE_CHECKING:
    from datetime import datetime

    from cameras.models import CameraEvent
    from parking.drift import Drift
    from parking.models import VehicleEvent, Zone

# Seconds within which a zone-full repeat groups into the same alert; arming already
# keeps a flickering zone from raising twice, this only guards a manual re-arm.
FULL_ALERT_COOLDOWN_SECONDS = 3600
# A drift alert for the same floor groups its repeats for this long instead of reopening.
DRIFT_ALERT_COOLDOWN_SECONDS = 6 * 3600


def zones_full(sender: object, crossings: list[tuple[Zone, int, CameraEvent | None]], **kwargs: Any) -> None:
    raise_alerts([_full_alert(zone, count, event) for zone, count, event in crossings])


def _full_alert(zone: Zone, count: int, source_event: CameraEvent | None) -> AlertSpec:
    percent = round(count / zone.capacity * 100)
    return AlertSpec(
        Kind.OCCUPANCY_FULL,
        severity=Severity.MEDIUM,
        camera=zone.camera,
        zone=zone,
        source_event=source_event,
        cooldown_seconds=FULL_ALERT_COOLDOWN_SECONDS,
        title="",
        params={
            "zone": each_language(lambda: str(zone)),
            "percent": percent,
            "count": count,
            "capacity": zone.capacity,
        },
    )


def counters_drifted(sender: object, drifts: list[Drift], at: datetime | None = None, **kwargs: Any) -> None:
    for drift in drifts:
        where = each_language(lambda floor=drift.floor: str(floor) if floor else _("the facility"))
        raise_alert(
            Kind.COUNTER_DRIFT,
            severity=Severity.MEDIUM,
            at=at,
            group_key=f"counter_drift|floor:{getattr(drift.floor, 'pk', 'all')}",
            cooldown_seconds=DRIFT_ALERT_COOLDOWN_SECONDS,
            params={
                "where": where,
                "counted": drift.counted,
                "gate": drift.gate,
                "difference": drift.difference,
            },
        )


def vision_event_uncounted(sender: object, event: VehicleEvent, **kwargs: Any) -> None:
    """One alert per floor while it stays open: later events add occurrences to it."""
    floor = event.floor
    raise_alert(
        Kind.CONFIGURATION,
        severity=Severity.LOW,
        title=str(_("Vision events on floor %(floor)s are not counted") % {"floor": floor.name}),
        description=str(
            _(
                "Floor %(floor)s counts from its zones, so the vision service's "
                "entries and exits are stored but not counted. Set the floor to count "
                "from its own events, or stop sending them."
            )
            % {"floor": floor.name}
        ),
        group_key=f"configuration|vision_uncounted|floor:{floor.pk}",
        cooldown_seconds=UNTIL_CLOSED,
        at=event.timestamp,
    )
