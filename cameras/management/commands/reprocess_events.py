"""Run failed events through their handlers again (only the handlers that failed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from cameras.ingest import process_event
from cameras.models import CameraEvent

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Reprocess camera events whose handlers failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", type=int, action="append", help="only this event id")
        parser.add_argument("--limit", type=int, default=10000)

    def handle(self, *args: Any, **options: Any) -> None:
        events = CameraEvent.objects.failed().order_by("id")
        if options["event"]:
            events = events.filter(pk__in=options["event"])
        still_failed = 0
        for event in events[: options["limit"]]:
            process_event(event)
            ok = event.status != CameraEvent.Status.FAILED
            still_failed += not ok
            # event.reason names the handler and its error; the camera's answer did not.
            self.stdout.write(f"event {event.pk} {event.event_type}: {'ok' if ok else event.reason}")
        if still_failed:
            self.stderr.write(f"{still_failed} event(s) still failed")
            raise SystemExit(1)
