"""The seed's test_camera_conn.py as a command: reachability, identity, webhook.

    manage.py check_cameras [--phase 1|2|all] [--camera CODE]
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cameras.provisioning.check import check_camera
from cameras.provisioning.selection import add_selection_arguments, selected_cameras

ROW = "{:<12} {:<22} {:<12} {:<22} {:<26} {:<22} {}"


class Command(BaseCommand):
    help = "Check every camera: status, model, serial, firmware and whether it pushes to us."

    def add_arguments(self, parser):
        add_selection_arguments(parser)

    def handle(self, *args, phase, cameras, **options):
        self.stdout.write(ROW.format("CAMERA", "ADDRESS", "STATUS", "MODEL", "SERIAL", "FIRMWARE",
                                     "WEBHOOK"))
        problems = []
        for camera in selected_cameras(phase, cameras):
            result = check_camera(camera)
            row = ROW.format(camera.code, f"{camera.ip_address}:{camera.http_port}", result.status,
                             result.model or "-", result.serial or "-", result.firmware or "-",
                             result.webhook or result.hint)
            self.stdout.write(self.style.SUCCESS(row) if result.ok else self.style.ERROR(row))
            if not result.ok:
                problems.append(camera.code)
        if problems:
            raise CommandError(f"some cameras have problems: {', '.join(problems)}")
        self.stdout.write(self.style.SUCCESS("All cameras reachable and ready."))
