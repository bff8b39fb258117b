"""Gate cameras: plate recognition on, plate lists matching the registry (seed section 4.2).

manage.py configure_anpr_cameras [--camera CODE] [--dry-run] [--workers N]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from cameras.models import Camera
from cameras.provisioning.command_run import add_run_arguments, run_over_cameras
from cameras.provisioning.selection import selected_cameras

from ...plate_sync import configure_anpr_device, registry_plates, save_plate_outcome

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = (
        "Enable plate recognition on gate cameras and make their allow / block lists match "
        "the vehicle registry (adding, updating and deleting)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--camera",
            action="append",
            dest="cameras",
            metavar="CODE",
            help="Only this gate camera (repeatable).",
        )
        add_run_arguments(parser)

    def handle(
        self,
        *args: Any,
        cameras: list[str] | None,
        dry_run: bool,
        workers: int,
        verbosity: int,
        **options: Any,
    ) -> None:
        self.verbosity = verbosity
        wanted = registry_plates()
        blocked = sum(p.blocked for p in wanted)
        self.stdout.write(f"Registry: {len(wanted) - blocked} allowed, {blocked} blocked plate(s)")
        gates = selected_cameras("all", cameras, base=Camera.objects.plate_readers())
        run_over_cameras(
            self,
            gates,
            lambda camera: configure_anpr_device(camera, dry_run=dry_run, wanted=wanted),
            save_plate_outcome,
            workers=workers,
            dry_run=dry_run,
            describe=lambda c: f"{c.ip_address}:{c.http_port} {c.get_plate_list_mode_display()}",
        )
