"""Point cameras' HTTP push at this backend (seed section 4.1), idempotently.

    manage.py configure_cameras --phase 1|2|all [--camera CODE] [--dry-run]
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cameras.provisioning.outcome import Outcome
from cameras.provisioning.push import provision_push
from cameras.provisioning.selection import add_selection_arguments, selected_cameras


def print_outcome(command: BaseCommand, outcome: Outcome) -> None:
    for line in outcome.steps:
        command.stdout.write(f"    {line}")
    for line in outcome.warnings:
        command.stdout.write(command.style.WARNING(f"    WARNING: {line}"))
    style = command.style.SUCCESS if outcome.ok else command.style.ERROR
    command.stdout.write(style(f"    -> {outcome.summary()}"))


def finish(command: BaseCommand, outcomes: list[Outcome], dry_run: bool) -> None:
    failed = [o.camera.code for o in outcomes if not o.ok]
    prefix = "DRY RUN, nothing written. " if dry_run else ""
    command.stdout.write(f"{prefix}{len(outcomes)} camera(s): {len(outcomes) - len(failed)} ok, "
                         f"{len(failed)} failed")
    if failed:
        raise CommandError(f"failed: {', '.join(failed)}")


class Command(BaseCommand):
    help = "Register this backend as the HTTP event target on cameras and link their event triggers."

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument("--dry-run", action="store_true",
                            help="Read the cameras and say what would change; write nothing.")

    def handle(self, *args, phase, cameras, dry_run, **options):
        outcomes = []
        for camera in selected_cameras(phase, cameras):
            self.stdout.write(f"[{camera.code}] {camera.ip_address}:{camera.http_port} phase {camera.phase}")
            outcome = provision_push(camera, dry_run=dry_run)
            print_outcome(self, outcome)
            outcomes.append(outcome)
        finish(self, outcomes, dry_run)
