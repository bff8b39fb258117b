"""Send a sample alert to notification channels now, to check an installation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from alerts import fanout
from alerts.models import NotificationChannel
from alerts.transports import TransportError

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Send a test message to the named channels (default: every enabled channel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="channel names")

    def handle(self, *args: Any, **options: Any) -> None:
        channels = NotificationChannel.objects.all()
        channels = channels.filter(name__in=options["names"]) if options["names"] else channels.usable()
        if not channels:
            raise CommandError("no matching channel")
        failed = sum(not self.try_channel(channel) for channel in channels)
        if failed:
            raise CommandError(f"{failed} channel(s) failed")

    def try_channel(self, channel: NotificationChannel) -> bool:
        try:
            result = fanout.send_test(channel)
        except TransportError as exc:
            kind = "permanent" if exc.permanent else "transient"
            self.stdout.write(self.style.ERROR(f"{channel.name}: {kind} failure: {exc}"))
            return False
        self.stdout.write(self.style.SUCCESS(f"{channel.name}: {result.detail} ({result.duration_ms} ms)"))
        return True
