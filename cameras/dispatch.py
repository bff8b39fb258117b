"""Event handlers that other apps register; cameras imports none of them.

An app registers in its ``AppConfig.ready``::

    dispatch.register("parking.occupancy", count_region_event,
                      event_types=[EventType.REGION_ENTRANCE, EventType.REGION_EXITING])

Each handler runs in its own savepoint: a failure rolls back only that handler's work
and is reported back so the event is marked failed and can be reprocessed.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    name: str
    func: Callable
    event_types: frozenset[str] | None

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type.lower() in self.event_types


_handlers: dict[str, Handler] = {}


def register(name: str, func: Callable, event_types: Iterable[str] | None = None) -> None:
    types = frozenset(t.lower() for t in event_types) if event_types is not None else None
    _handlers[name] = Handler(name, func, types)


def handlers_for(event_type: str) -> list[Handler]:
    return [h for h in _handlers.values() if h.wants(event_type)]


def run_handlers(event) -> dict[str, str]:
    """Run every interested handler not yet done; return {handler name: error} for failures."""
    errors: dict[str, str] = {}
    for handler in handlers_for(event.event_type):
        if handler.name in event.handled_by:
            continue
        try:
            with transaction.atomic():
                handler.func(event)
        except Exception as exc:  # noqa: BLE001 — any handler failure is recorded, never raised
            logger.exception("handler %s failed on event %s", handler.name, event.pk)
            errors[handler.name] = f"{type(exc).__name__}: {exc}"[:500]
        else:
            event.handled_by.append(handler.name)
    return errors
