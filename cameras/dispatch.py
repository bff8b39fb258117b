"""Event handlers that other apps register; cameras imports none of them.

An app registers in its ``AppConfig.ready`` a function that takes a list of events, in
arrival order, and works on them as a set::

    dispatch.register("parking.occupancy", count_region_events,
                      event_types=[EventType.REGION_ENTRANCE, EventType.REGION_EXITING])

The queued processor hands each handler a whole batch in one transaction
(``run_batch``); a push processed inline, or a batch being retried one event at a time,
is a batch of one with each handler in its own savepoint (``run_handlers``), so a failure
rolls back only that handler's work and is reported back for ``reprocess_events``.

An app can also register a batch scope: a context manager entered around a whole batch,
for work that is cheaper once per batch than once per event (integrations writes the
batch's export records in one INSERT and sends its stream messages together).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from cameras.models import CameraEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    name: str
    func: Callable[[list], None]
    event_types: frozenset[str] | None

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type.lower() in self.event_types


_handlers: dict[str, Handler] = {}
_batch_scopes: list[Callable[[], AbstractContextManager]] = []


def register(name: str, func: Callable[[list], None], event_types: Iterable[str] | None = None) -> None:
    types = frozenset(t.lower() for t in event_types) if event_types is not None else None
    _handlers[name] = Handler(name, func, types)


def register_batch_scope(scope: Callable[[], AbstractContextManager]) -> None:
    if scope not in _batch_scopes:
        _batch_scopes.append(scope)


def handlers_for(event_type: str) -> list[Handler]:
    return [h for h in _handlers.values() if h.wants(event_type)]


def _pending(handler: Handler, events: Sequence) -> list:
    return [e for e in events if handler.wants(e.event_type) and handler.name not in e.handled_by]


def run_batch(events: Sequence) -> None:
    """Every handler over the events it wants, in registration order; any failure raises
    (the caller rolls the batch back and retries it one event at a time)."""
    with ExitStack() as scopes:
        for scope in _batch_scopes:
            scopes.enter_context(scope())
        for handler in _handlers.values():
            wanted = _pending(handler, events)
            if not wanted:
                continue
            handler.func(wanted)
            for event in wanted:
                event.handled_by.append(handler.name)


def run_handlers(event: CameraEvent) -> dict[str, str]:
    """Run every interested handler not yet done on one event; {handler name: error} for failures."""
    errors: dict[str, str] = {}
    for handler in handlers_for(event.event_type):
        if handler.name in event.handled_by:
            continue
        try:
            with transaction.atomic():
                handler.func([event])
        except Exception as exc:  # noqa: BLE001 — any handler failure is recorded, never raised
            logger.exception("handler %s failed on event %s", handler.name, event.pk)
            errors[handler.name] = f"{type(exc).__name__}: {exc}"[:500]
        else:
            event.handled_by.append(handler.name)
    return errors
