"""Run the handlers of pushes stored in queued mode, as they arrive (EVENT_PROCESSING=queued)."""
from __future__ import annotations

import signal

from django.core.management.base import BaseCommand
from django.db import connection

from cameras import processing


class Command(BaseCommand):
    help = "Process queued camera events in arrival order; woken by PostgreSQL NOTIFY."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is queued, then exit")
        parser.add_argument("--idle-wait", type=float, default=5.0,
                            help="seconds to wait for a push before looking again")

    def handle(self, *args, **options):
        if options["once"]:
            self.stdout.write(f"processed {processing.drain()} queued events")
            return
        self._running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        listener = processing.open_listener()
        self.stdout.write("processing queued events (Ctrl-C to stop)")
        try:
            while self._running:
                # A stop request ends the drain after the event in hand, not the backlog.
                processing.drain(stop=lambda: not self._running)
                processing.wait_for_pushes(listener, options["idle_wait"])
        finally:
            if listener is not None:
                listener.close()
            connection.close()

    def _stop(self, *args):
        self._running = False
