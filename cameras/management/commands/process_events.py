"""Apply the rules to queued pushes now, in this process (EVENT_PROCESSING=queued).

The processor service does this continuously: Celery workers on the ``events`` queue
(``celery -A damanat worker -Q events``). This command is for draining by hand, after an
outage or in scripts, and takes the same partition locks, so it never doubles their work.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cameras import processing


class Command(BaseCommand):
    help = "Process every queued camera event now, partition by partition, in arrival order."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"processed {processing.drain()} queued events")
