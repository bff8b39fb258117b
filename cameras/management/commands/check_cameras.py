"""The seed's test_camera_conn.py as a command: reachability, identity, webhook.

manage.py check_cameras [--phase 1|2|all] [--camera CODE] [--workers N]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cameras.provisioning.check import inspect_connection
from cameras.provisioning.health import record_probe
from cameras.provisioning.parallel import run_parallel
from cameras.provisioning.selection import add_selection_arguments, selected_cameras

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

    from cameras.models import Camera

ROW = "{:<12} {:<22} {:<12} {:<22} {:<26} {:<22} {}"


class Command(BaseCommand):
    help = "Check every camera: status, model, serial, firmware and whether it pushes to us."

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)
        parser.add_argument(
            "--workers", type=int, default=16, help="Cameras checked at once (default: %(default)s)."
        )

    def handle(self, *args: Any, phase: str, cameras: list[str] | None, workers: int, **options: Any) -> None:
        selected = selected_cameras(phase, cameras)
        now = timezone.now()

        def checked(done: int, camera: Camera, answer: tuple[Any, Any]) -> None:
            record_probe(camera, answer[1], now)
            self.stderr.write(f"checked {done}/{len(selected)}", ending="\r")

        results = [
            check
            for check, _probe in run_parallel(inspect_connection, selected, workers=workers, on_done=checked)
        ]
        self.stdout.write(ROW.format("CAMERA", "ADDRESS", "STATUS", "MODEL", "SERIAL", "FIRMWARE", "WEBHOOK"))
        for result in results:
            camera = result.camera
            row = ROW.format(
                camera.code,
                f"{camera.ip_address}:{camera.http_port}",
                result.status,
                result.model or "-",
                result.serial or "-",
                result.firmware or "-",
                result.webhook or result.hint,
            )
            self.stdout.write(self.style.SUCCESS(row) if result.ok else self.style.ERROR(row))
        problems = [r.camera.code for r in results if not r.ok]
        if problems:
            raise CommandError(f"some cameras have problems: {', '.join(problems)}")
        self.stdout.write(self.style.SUCCESS("All cameras reachable and ready."))
