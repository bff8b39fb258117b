"""Point cameras' HTTP push at this backend (seed section 4.1), idempotently.

manage.py configure_cameras --phase 1|2|all [--camera CODE] [--dry-run] [--workers N]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from cameras.provisioning.command_run import add_run_arguments, run_over_cameras
from cameras.provisioning.push import configure_push, save_outcome
from cameras.provisioning.selection import add_selection_arguments, selected_cameras

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Register this backend as the HTTP event target on cameras and link their event triggers."

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)
        add_run_arguments(parser)

    def handle(
        self,
        *args: Any,
        phase: str,
        cameras: list[str] | None,
        dry_run: bool,
        workers: int,
        verbosity: int,
        **options: Any,
    ) -> None:
        self.verbosity = verbosity
        run_over_cameras(
            self,
            selected_cameras(phase, cameras),
            lambda camera: configure_push(camera, dry_run=dry_run),
            save_outcome,
            workers=workers,
            dry_run=dry_run,
            describe=lambda c: f"{c.ip_address}:{c.http_port} phase {c.phase}",
        )
