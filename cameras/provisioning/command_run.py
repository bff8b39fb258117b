"""A provisioning command over many cameras: bounded parallel, a progress count as each
camera finishes, each camera's steps, a summary table, and an exit code scripts can use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.management.base import BaseCommand, CommandError

from .outcome import Outcome
from .parallel import run_parallel

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

    from cameras.models import Camera

TABLE_ROW = "{:<14} {:<22} {:<13} {:>7} {:>8}  {}"


def add_run_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="Read the cameras and say what would change; write nothing."
    )
    parser.add_argument(
        "--workers", type=int, default=16, help="Cameras worked on at once (default: %(default)s)."
    )


def run_over_cameras(
    command: BaseCommand,
    cameras: list[Camera],
    device_work: Callable[[Camera], Outcome],
    save: Callable[[Outcome], None],
    *,
    workers: int,
    dry_run: bool,
    describe: Callable[[Camera], str],
) -> list[Outcome]:
    """``device_work`` runs in threads; ``save`` and all output in this thread."""
    total = len(cameras)
    verbose = command.verbosity >= 1

    def finished(done: int, camera: Camera, outcome: Outcome) -> None:
        save(outcome)
        command.stdout.write(f"({done}/{total}) [{camera.code}] {describe(camera)}")
        if verbose:
            print_outcome(command, outcome)

    outcomes = run_parallel(device_work, cameras, workers=workers, on_done=finished)
    print_table(command, outcomes)
    finish(command, outcomes, dry_run)
    return outcomes


def print_outcome(command: BaseCommand, outcome: Outcome) -> None:
    for line in outcome.steps:
        command.stdout.write(f"    {line}")
    for line in outcome.warnings:
        command.stdout.write(command.style.WARNING(f"    WARNING: {line}"))
    style = command.style.SUCCESS if outcome.ok else command.style.ERROR
    command.stdout.write(style(f"    -> {outcome.summary()}"))


def print_table(command: BaseCommand, outcomes: list[Outcome]) -> None:
    if not outcomes:
        return
    command.stdout.write("")
    command.stdout.write(TABLE_ROW.format("CAMERA", "ADDRESS", "RESULT", "CHANGES", "WARNINGS", "DETAIL"))
    for outcome in outcomes:
        camera = outcome.camera
        row = TABLE_ROW.format(
            camera.code,
            f"{camera.ip_address}:{camera.http_port}",
            outcome.result,
            outcome.changes,
            len(outcome.warnings),
            outcome.error[:90],
        )
        command.stdout.write(command.style.ERROR(row) if outcome.error else row)


def finish(command: BaseCommand, outcomes: list[Outcome], dry_run: bool) -> None:
    failed = [o.camera.code for o in outcomes if not o.ok]
    changes = sum(o.changes for o in outcomes)
    prefix = "DRY RUN, nothing written. " if dry_run else ""
    changed = f"{changes} change(s) would be made" if dry_run else f"{changes} change(s) made"
    command.stdout.write(
        f"{prefix}{len(outcomes)} camera(s): {len(outcomes) - len(failed)} ok, "
        f"{len(failed)} failed; {changed}"
    )
    if failed:
        raise CommandError(f"failed: {', '.join(failed)}")
