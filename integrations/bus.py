"""Announce what happened: to the live stream and to exporters.

``announce`` is called from signal receivers and the event handler while the change is
still in its transaction: the export records are written in that same transaction (so an
export is never lost), and the stream message and export tasks go out only on commit.
Inside a processor batch (``collecting``) the batch's records are one INSERT and its
stream messages one hop to the channel layer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import stream_sender
from .exporting import start_exports
from .models import Exporter, ExportRecord

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


@dataclass
class Collected:
    records: list[ExportRecord] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    exporters: list[Exporter] | None = None

    def enabled_exporters(self) -> list[Exporter]:
        if self.exporters is None:
            self.exporters = list(Exporter.objects.enabled())
        return self.exporters


_collecting: ContextVar[Collected | None] = ContextVar("integrations_collecting", default=None)


@contextmanager
def collecting() -> Iterator:
    """Gather a batch's export records and stream messages; written and sent at the end."""
    batch = Collected()
    token = _collecting.set(batch)
    try:
        yield batch
    finally:
        _collecting.reset(token)
    if batch.records:
        ids = [record.pk for record in ExportRecord.objects.bulk_create(batch.records)]
        transaction.on_commit(lambda: start_exports(ids))
    if batch.messages:
        transaction.on_commit(lambda: send_to_stream(*batch.messages))


def plain(data: dict) -> dict:
    """JSON-safe copy (dates as ISO strings), as the channel layer and exporters need."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def announce(
    stream_kind: str,
    payload: dict,
    *,
    camera: str = "",
    action: str = "created",
    export_kind: str | None = None,
    object_ref: str = "",
) -> None:
    payload = plain(payload)
    if export_kind:
        queue_exports(export_kind, object_ref, payload)
    publish(stream_kind, payload, camera=camera, action=action)


def publish(kind: str, payload: dict, *, camera: str = "", action: str = "created") -> None:
    """Send one message to every stream client, once the current transaction commits."""
    message = {
        "type": "stream.message",
        "kind": kind,
        "action": action,
        "camera": camera,
        "at": timezone.now().isoformat(),
        "data": plain(payload),
    }
    batch = _collecting.get()
    if batch is not None:
        batch.messages.append(message)
        return
    transaction.on_commit(lambda: send_to_stream(message))


def send_to_stream(*messages: dict) -> None:
    try:
        stream_sender.send(*messages)
    except Exception as exc:  # noqa: BLE001 — a stream outage never fails the change itself
        logger.warning("live stream unavailable: %s: %s", type(exc).__name__, exc)


def queue_exports(kind: str, object_ref: str, payload: dict) -> list[int]:
    """One export record per enabled exporter that wants this kind; tasks start on commit."""
    batch = _collecting.get()
    if batch is not None:
        batch.records += [
            ExportRecord(
                exporter=exporter,
                kind=kind,
                object_ref=object_ref,
                payload=_record_body(exporter, kind, payload),
            )
            for exporter in batch.enabled_exporters()
            if exporter.wants(kind)
        ]
        return []
    ids = []
    for exporter in Exporter.objects.enabled():
        if not exporter.wants(kind):
            continue
        record_id = _create_record(exporter, kind, object_ref, payload)
        if record_id is not None:
            ids.append(record_id)
    if ids:
        transaction.on_commit(lambda: start_exports(ids))
    return ids


def _record_body(exporter: Exporter, kind: str, payload: dict) -> dict:
    return {"kind": kind, "exporter": exporter.name, "data": payload}


def _create_record(exporter: Exporter, kind: str, object_ref: str, payload: dict) -> int | None:
    try:
        with transaction.atomic():
            record = ExportRecord.objects.create(
                exporter=exporter,
                kind=kind,
                object_ref=object_ref,
                payload=_record_body(exporter, kind, payload),
            )
    except IntegrityError:
        return None  # already queued for this exporter: reprocessing must not export twice
    return record.pk
