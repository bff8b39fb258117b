"""Hooks into other apps' changes; connected in IntegrationsConfig.ready, so they need no edits."""
from __future__ import annotations

import logging

from django.apps import apps
from django.db.models.signals import post_save

from cameras import dispatch
from cameras.choices import EventType

from . import payloads
from .bus import announce, publish
from .choices import ExportKind, StreamKind

logger = logging.getLogger(__name__)
PLATE_READS = {name.lower() for name in EventType.PLATE_READS}
HANDLER_NAME = "integrations.announce"
# The ANPR app's models, by the names it may give them; the first that exists is hooked.
PASSAGE_MODELS = ("GatePassage", "Passage")
VISIT_MODELS = ("Visit",)


def announce_camera_event(event) -> None:
    """Dispatch handler: every acted-on camera event goes to the stream, plate reads to exporters."""
    camera = payloads.camera_code(event)
    if event.event_type.lower() in PLATE_READS:
        announce(StreamKind.PLATE_READ, payloads.plate_read(event), camera=camera,
                 export_kind=ExportKind.PLATE_READ, object_ref=str(event.pk))
    else:
        publish(StreamKind.EVENT, payloads.camera_event(event), camera=camera)


def alert_saved(sender, instance, created: bool, **kwargs) -> None:
    # Each status an alert reaches is exported once (the record key includes the status).
    announce(StreamKind.ALERT, payloads.alert(instance), camera=payloads.camera_code(instance),
             action="created" if created else instance.status, export_kind=ExportKind.ALERT,
             object_ref=f"{instance.pk}:{instance.status}")


def passage_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created:
        return
    announce(StreamKind.PASSAGE, payloads.model_fields(instance),
             camera=payloads.camera_code(instance), export_kind=ExportKind.PASSAGE,
             object_ref=str(instance.pk))


def visit_saved(sender, instance, created: bool, **kwargs) -> None:
    closed = is_closed_visit(instance)
    export_kind = ExportKind.VISIT_CLOSED if closed else None
    announce(StreamKind.VISIT, payloads.model_fields(instance), camera=visit_camera(instance),
             action="closed" if closed else ("opened" if created else "changed"),
             export_kind=export_kind, object_ref=str(instance.pk))


def is_closed_visit(visit) -> bool:
    status = str(getattr(visit, "status", "") or "")
    if status:
        return status.lower() not in ("open", "opened")
    return bool(getattr(visit, "exited_at", None) or getattr(visit, "exit_at", None))


def visit_camera(visit) -> str:
    for name in ("exit_passage", "entry_passage"):
        passage = getattr(visit, name, None)
        if passage is not None:
            return payloads.camera_code(passage)
    return payloads.camera_code(visit)


def first_model(app_label: str, names: tuple[str, ...]):
    for name in names:
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            continue
    return None


def connect() -> None:
    dispatch.register(HANDLER_NAME, announce_camera_event)
    post_save.connect(alert_saved, sender="alerts.Alert", dispatch_uid="integrations.alert")
    for names, receiver in ((PASSAGE_MODELS, passage_saved), (VISIT_MODELS, visit_saved)):
        model = first_model("anpr", names)
        if model is None:
            logger.debug("anpr has no %s model yet: not streamed", "/".join(names))
            continue
        post_save.connect(receiver, sender=model, dispatch_uid=f"integrations.{model.__name__}")
