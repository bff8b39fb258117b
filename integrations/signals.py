"""Hooks into other apps' changes; connected in IntegrationsConfig.ready, so they need no edits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import prefetch_related_objects
from django.db.models.signals import post_save

from anpr.models import GatePassage, Visit
from cameras import dispatch
from cameras.choices import EventType

from . import payloads
from .bus import announce, collecting, publish
from .choices import ExportKind, StreamKind

if TYPE_CHECKING:
    from alerts.models import Alert
    from anpr.models import GatePassage, Visit
    from cameras.models import CameraEvent

PLATE_READS = {name.lower() for name in EventType.PLATE_READS}
HANDLER_NAME = "integrations.announce"


def announce_camera_events(events: Sequence[CameraEvent]) -> None:
    """Dispatch handler, after the ANPR one: events to the stream, plate reads and the
    visits they closed to exporters too.

    A handler rather than post_save on CameraEvent: the row is saved before anyone knows
    whether its camera is acting, and its final status is written with update().
    """
    reads = [event for event in events if event.event_type.lower() in PLATE_READS]
    # Visit.close() updates the row in place (no post_save), so closed visits are found here.
    closed = {}
    if reads:
        prefetch_related_objects(reads, "pictures")
        for visit in Visit.objects.filter(exit__event__in=reads, status=Visit.Status.CLOSED).select_related(
            "exit"
        ):
            closed.setdefault(visit.exit.event_id, []).append(visit)
    for event in events:
        camera = payloads.camera_code(event)
        if event.event_type.lower() not in PLATE_READS:
            publish(StreamKind.EVENT, payloads.camera_event(event), camera=camera)
            continue
        announce(
            StreamKind.PLATE_READ,
            payloads.plate_read(event),
            camera=camera,
            export_kind=ExportKind.PLATE_READ,
            object_ref=str(event.pk),
        )
        for visit in closed.get(event.pk, []):
            announce(
                StreamKind.VISIT,
                payloads.visit(visit),
                camera=camera,
                action="closed",
                export_kind=ExportKind.VISIT_CLOSED,
                object_ref=str(visit.pk),
            )


def alert_saved(
    sender: object, instance: Alert, created: bool, update_fields: Iterable[str] | None = None, **kwargs: Any
) -> None:
    # Each status an alert reaches is exported once (the record key includes the status).
    announce(
        StreamKind.ALERT,
        payloads.alert(instance),
        camera=payloads.camera_code(instance),
        action=alert_action(created, update_fields, instance.status),
        export_kind=ExportKind.ALERT,
        object_ref=f"{instance.pk}:{instance.status}",
    )


def alert_action(created: bool, update_fields: Iterable[str] | None, status: str) -> str:
    changed = set(update_fields or ())
    if created:
        return "created"
    if "severity" in changed and "status" not in changed:
        return "escalated"
    return status if not changed or "status" in changed else "changed"


def passage_saved(sender: object, instance: GatePassage, created: bool, **kwargs: Any) -> None:
    if created:
        announce(
            StreamKind.PASSAGE,
            payloads.passage(instance),
            camera=payloads.camera_code(instance),
            export_kind=ExportKind.PASSAGE,
            object_ref=str(instance.pk),
        )


def visit_saved(sender: object, instance: Visit, created: bool, **kwargs: Any) -> None:
    opened = created and instance.status == Visit.Status.OPEN
    publish(
        StreamKind.VISIT,
        payloads.visit(instance),
        camera=payloads.camera_code(instance.entry or instance.exit),
        action="opened" if opened else instance.status,
    )


def connect() -> None:
    dispatch.register(HANDLER_NAME, announce_camera_events)
    dispatch.register_batch_scope(collecting)
    post_save.connect(alert_saved, sender="alerts.Alert", dispatch_uid="integrations.alert")
    post_save.connect(passage_saved, sender=GatePassage, dispatch_uid="integrations.passage")
    post_save.connect(visit_saved, sender=Visit, dispatch_uid="integrations.visit")
