"""``registry_changed``: sent after a committed change to the vehicle registry.

Receivers get ``plates`` (sorted canonical plates that were added, changed or removed).
anpr.apps connects the gate cameras' background sync of allowed / blocked lists to it::

    from anpr.signals import registry_changed
    registry_changed.connect(lambda sender, plates, **kw: sync_plates.delay(plates))

It is sent once per transaction commit (a CSV import of 500 rows sends one signal), never
for a transaction that rolled back. ``QuerySet.update()`` bypasses it; use model saves or
call ``registry_touched(plates)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

if TYPE_CHECKING:
    from anpr.models import Vehicle

registry_changed = Signal()
_batch: ContextVar[set[str] | None] = ContextVar("anpr_registry_batch", default=None)


def _send(plates: Iterable[str]) -> None:
    from .models import Vehicle

    registry_changed.send(sender=Vehicle, plates=sorted(set(plates)))


def registry_touched(plates: Iterable[str]) -> None:
    """Announce changed plates once the current transaction commits."""
    batch = _batch.get()
    if batch is not None:
        batch.update(plates)
        return
    plates = sorted(set(plates))
    transaction.on_commit(lambda: _send(plates))


@contextmanager
def batched_registry_changes() -> Iterator:
    """Collect every registry change inside the block into one signal."""
    batch: set[str] = set()
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
    if batch:
        registry_touched(batch)


@receiver(post_save, sender="anpr.Vehicle", dispatch_uid="anpr_vehicle_saved")
def _vehicle_saved(sender: object, instance: Vehicle, **kwargs: Any) -> None:
    registry_touched([instance.plate])


@receiver(post_delete, sender="anpr.Vehicle", dispatch_uid="anpr_vehicle_deleted")
def _vehicle_deleted(sender: object, instance: Vehicle, **kwargs: Any) -> None:
    registry_touched([instance.plate])
