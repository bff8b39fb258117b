"""Gate cameras: plate recognition on, plate lists matching the registry (seed section 4.2).

    manage.py configure_anpr_cameras [--camera CODE] [--dry-run]
"""
from __future__ import annotations

from django.core.management.base import BaseCommand

from cameras.models import Camera
from cameras.provisioning.plates import configure_anpr, registry_plates
from cameras.provisioning.selection import selected_cameras

from .configure_cameras import finish, print_outcome


class Command(BaseCommand):
    help = ("Enable plate recognition on gate cameras and make their allow / block lists match "
            "the vehicle registry (adding, updating and deleting).")

    def add_arguments(self, parser):
        parser.add_argument("--camera", action="append", dest="cameras", metavar="CODE",
                            help="Only this gate camera (repeatable).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Read the cameras and say what would change; write nothing.")

    def handle(self, *args, cameras, dry_run, **options):
        wanted = registry_plates()
        blocked = sum(p.blocked for p in wanted)
        self.stdout.write(f"Registry: {len(wanted) - blocked} allowed, {blocked} blocked plate(s)")
        outcomes = []
        for camera in selected_cameras("all", cameras, base=Camera.objects.plate_readers()):
            self.stdout.write(f"[{camera.code}] {camera.ip_address}:{camera.http_port} "
                              f"{camera.get_plate_list_mode_display()}")
            outcome = configure_anpr(camera, dry_run=dry_run, wanted=wanted)
            print_outcome(self, outcome)
            outcomes.append(outcome)
        finish(self, outcomes, dry_run)
