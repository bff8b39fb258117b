"""Delete old data in small batches, never touching what is on legal hold.

Each data type names its model, the date that ages it, and which rows are protected
because a legal hold covers them or something held points to them. Batches are short
transactions on primary keys, so the ingest path never waits on a long lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import LegalHold, RetentionPolicy

if TYPE_CHECKING:
    from django.db.models import Model

    from cameras.models import EventPicture

logger = logging.getLogger(__name__)
DataType = RetentionPolicy.DataType


@dataclass
class Purge:
    data_type: str
    model_label: str
    date_field: str
    filters: dict = field(default_factory=dict)
    protected: Callable[[], set] = lambda: set()
    # When the age is not one column (a visit ages from its exit, else from its closing).
    age: object = None

    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


def _held(label: str) -> set:
    try:
        model = apps.get_model(label)
    except LookupError:
        return set()
    return {int(pk) for pk in LegalHold.objects.held_ids(model) if str(pk).isdigit()}


def _related_ids(label: str, ids: set, path: str) -> set:
    if not ids:
        return set()
    model = apps.get_model(label)
    return {v for v in model.objects.filter(pk__in=ids).values_list(path, flat=True) if v}


def protected_events() -> set:
    """Raw events kept: held plate reads, sources of held alerts, reads of held visits."""
    events = _held("cameras.CameraEvent")
    events |= _related_ids("alerts.Alert", _held("alerts.Alert"), "source_event")
    events |= protected_visit_events()
    return events


def protected_visit_events() -> set:
    visits = _held("anpr.Visit")
    if not visits:
        return set()
    ids = set()
    for path in ("entry__event", "exit__event"):
        ids |= _related_ids("anpr.Visit", visits, path)
    return ids


def protected_pictures() -> set:
    events = protected_events()
    if not events:
        return set()
    picture = apps.get_model("cameras.EventPicture")
    return set(picture.objects.filter(event_id__in=events).values_list("pk", flat=True))


def protected_visit_rows() -> set:
    return _held("anpr.Visit")


def protected_passages() -> set:
    visits = _held("anpr.Visit")
    return _related_ids("anpr.Visit", visits, "entry") | _related_ids("anpr.Visit", visits, "exit")


def protected_alerts() -> set:
    return _held("alerts.Alert")


PURGES = [
    Purge(DataType.PICTURES, "cameras.EventPicture", "created_at", protected=protected_pictures),
    Purge(DataType.RAW_EVENTS, "cameras.CameraEvent", "received_at", protected=protected_events),
    # Open visits have no closed_at and are never aged out.
    Purge(
        DataType.PASSAGES_VISITS,
        "anpr.Visit",
        "closed_at",
        {"closed_at__isnull": False},
        protected=protected_visit_rows,
        age=Coalesce("exited_at", "closed_at"),
    ),
    Purge(DataType.PASSAGES_VISITS, "anpr.GatePassage", "occurred_at", protected=protected_passages),
    Purge(
        DataType.ALERTS,
        "alerts.Alert",
        "last_seen_at",
        {"status__in": ["resolved", "false_positive"]},
        protected=protected_alerts,
    ),
    Purge(DataType.DELIVERIES, "alerts.Delivery", "created_at"),
    Purge(DataType.LEDGER, "parking.OccupancyChange", "created_at"),
    Purge(DataType.SNAPSHOTS, "parking.OccupancySnapshot", "taken_at"),
]


def keep_days(data_type: str) -> int | None:
    policy = RetentionPolicy.objects.filter(data_type=data_type).first()
    if policy is not None:
        return policy.keep_days if policy.enabled else None
    return settings.RETENTION_DAYS.get(data_type)


def _delete_picture_files(pictures: Iterable[EventPicture]) -> None:
    for picture in pictures:
        picture.image.delete(save=False)


def _delete_batch(model: type[Model], pks: list) -> int:
    """Delete one batch; picture files go with their rows (also when events cascade to them)."""
    with transaction.atomic():
        if model._meta.label == "cameras.EventPicture":
            _delete_picture_files(model.objects.filter(pk__in=pks))
        elif model._meta.label == "cameras.CameraEvent":
            picture = apps.get_model("cameras.EventPicture")
            _delete_picture_files(picture.objects.filter(event_id__in=pks))
        deleted = model.objects.filter(pk__in=pks).delete()[1].get(model._meta.label, 0)
    return deleted


def run_purge(purge: Purge, now: datetime | None = None, batch_size: int | None = None) -> int:
    days = keep_days(purge.data_type)
    try:
        model = purge.model()
    except LookupError:
        return 0
    if days is None or not any(f.name == purge.date_field for f in model._meta.fields):
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    keep = purge.protected()
    rows = model.objects.filter(**purge.filters)
    if purge.age is not None:
        rows = rows.annotate(retention_age=purge.age).filter(retention_age__lt=cutoff)
    else:
        rows = rows.filter(**{f"{purge.date_field}__lt": cutoff})
    stale = rows.exclude(pk__in=keep).order_by("pk").values_list("pk", flat=True)
    size = batch_size or settings.RETENTION_BATCH_SIZE
    total = 0
    while pks := list(stale[:size]):
        total += _delete_batch(model, pks)
    return total


def stored_picture_bytes() -> int:
    picture = apps.get_model("cameras.EventPicture")
    return picture.objects.aggregate(total=Sum("size"))["total"] or 0


def enforce_picture_budget(budget: int | None = None, batch_size: int | None = None) -> int:
    """Delete the oldest pictures until the rest fit MEDIA_BUDGET_BYTES; never held ones.

    Age-based retention alone lets a burst of pictures fill the disk between two nightly
    runs; this runs every few minutes. Returns the number of pictures deleted.
    """
    budget = settings.MEDIA_BUDGET_BYTES if budget is None else budget
    excess = stored_picture_bytes() - budget if budget else 0
    if excess <= 0:
        return 0
    picture = apps.get_model("cameras.EventPicture")
    oldest = (
        picture.objects.exclude(pk__in=protected_pictures())
        .order_by("created_at", "pk")
        .values_list("pk", "size")
    )
    size, deleted = batch_size or settings.RETENTION_BATCH_SIZE, 0
    while excess > 0 and (batch := list(oldest[:size])):
        chosen = []
        for pk, bytes_ in batch:
            chosen.append(pk)
            excess -= bytes_
            if excess <= 0:
                break
        deleted += _delete_batch(picture, chosen)
    if excess > 0:
        logger.warning("media budget: %d bytes over, all of it on legal hold", excess)
    return deleted


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    results: dict[str, int] = {}
    for purge in PURGES:
        deleted = run_purge(purge, now)
        results[purge.data_type] = results.get(purge.data_type, 0) + deleted
    results[DataType.PICTURES] = results.get(DataType.PICTURES, 0) + enforce_picture_budget()
    for data_type, deleted in results.items():
        RetentionPolicy.objects.filter(data_type=data_type).update(
            last_run_at=timezone.now(), last_deleted=deleted
        )
        if deleted:
            logger.info("retention: %s deleted %d rows", data_type, deleted)
    return results
