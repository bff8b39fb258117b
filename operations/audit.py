"""Record who created, changed or deleted the records staff manage.

A middleware remembers the current request; model signals diff the old and new values
and write an AuditEntry. Secrets are masked. Bulk ``QuerySet.update`` calls (counters,
alert occurrences) are deliberately not audited: they are machine changes, not people's.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_delete, post_save, pre_save

from .models import AuditEntry

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest, HttpResponse

TRACKED_MODELS = [
    "anpr.Vehicle",
    "cameras.Camera",
    "parking.Zone",
    "parking.Floor",
    "alerts.NotificationChannel",
    "alerts.Alert",
    "detectors.Detector",
    "detectors.CrimeReport",
    "detectors.DutyShift",
    "integrations.Exporter",
    "integrations.AIModelConfig",
    "integrations.SensorSetting",
    "operations.LegalHold",
    "operations.RetentionPolicy",
    "evidence.EvidenceExport",
]
SECRET_MARKERS = ("password", "secret", "token", "key")
IGNORED_FIELDS = {
    "updated_at",
    "last_seen_at",
    "last_event_at",
    "last_heartbeat_at",
    "heartbeat_count",
    "health_checked_at",
    "current_count",
}
_current_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)
_batch: contextvars.ContextVar = contextvars.ContextVar("audit_batch", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _source_and_user(request: HttpRequest) -> tuple:
    if request is None:
        return AuditEntry.Source.SYSTEM, None
    path = request.path
    source = (
        AuditEntry.Source.ADMIN
        if path.startswith("/admin/")
        else AuditEntry.Source.API
        if path.startswith("/api/")
        else AuditEntry.Source.PAGE
    )
    user = getattr(request, "user", None)
    return source, user if user is not None and user.is_authenticated else None


def _plain(value: object) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def snapshot(instance: Model) -> dict:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in IGNORED_FIELDS:
            continue
        value = field.value_from_object(instance)
        if any(marker in field.name for marker in SECRET_MARKERS):
            value = "***" if value else ""
        values[field.name] = _plain(value)
    return values


def _remember_old(sender: object, instance: Model, **kwargs: Any) -> None:
    if instance.pk is None:
        instance._audit_old = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_old = snapshot(old) if old is not None else None


def _record(instance: Model, action: str, changes: dict) -> None:
    source, user = _source_and_user(_current_request.get())
    entry = AuditEntry(
        user=user,
        username=getattr(user, "username", ""),
        source=source,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(entry)
    else:
        entry.save(force_insert=True)


@contextmanager
def batched() -> Iterator:
    """Inside an event-processing batch: the batch's audit entries are one INSERT."""
    entries: list[AuditEntry] = []
    token = _batch.set(entries)
    try:
        yield entries
    finally:
        _batch.reset(token)
    AuditEntry.objects.bulk_create(entries)


def _after_save(sender: object, instance: Model, created: bool, **kwargs: Any) -> None:
    new = snapshot(instance)
    old = getattr(instance, "_audit_old", None)
    if created or old is None:
        _record(instance, AuditEntry.Action.CREATED, {k: [None, v] for k, v in new.items()})
        return
    changes = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    if changes:
        _record(instance, AuditEntry.Action.CHANGED, changes)


def _after_delete(sender: object, instance: Model, **kwargs: Any) -> None:
    _record(instance, AuditEntry.Action.DELETED, {k: [v, None] for k, v in snapshot(instance).items()})


def tracked_models() -> list:
    found = []
    for label in TRACKED_MODELS:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def connect() -> None:
    from cameras import dispatch

    dispatch.register_batch_scope(batched)
    for model in tracked_models():
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_remember_old, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-del")
