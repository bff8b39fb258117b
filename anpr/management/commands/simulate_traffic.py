"""Keep the demo site alive: a car arrives or leaves, or a parking row counts, every few seconds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anpr import traffic

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "POST simulated gate and parking-row pushes to this machine's webhook (the demo's traffic)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default=f"http://127.0.0.1:{settings.BACKEND_PORT}{settings.BACKEND_EVENT_PATH}"
        )
        parser.add_argument("--every", type=float, default=20.0, help="seconds between pushes, on average")
        parser.add_argument("--count", type=int, default=0, help="stop after this many (0: until stopped)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            traffic.check_loopback(options["url"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            traffic.run(options["url"], every=options["every"], count=options["count"], out=self.stdout)
        except KeyboardInterrupt:
            pass
