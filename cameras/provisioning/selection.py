"""Which cameras a command works on: --phase 1|2|all and --camera CODE."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.management.base import CommandError

from cameras.models import Camera

if TYPE_CHECKING:
    from django.core.management.base import CommandParser
    from django.db.models import QuerySet


def add_selection_arguments(parser: CommandParser, default_phase: str = "all") -> None:
    parser.add_argument(
        "--phase",
        choices=["1", "2", "all"],
        default=default_phase,
        help="Cameras of this installation phase (default: %(default)s).",
    )
    parser.add_argument(
        "--camera", action="append", dest="cameras", metavar="CODE", help="Only this camera (repeatable)."
    )


def selected_cameras(
    phase: str = "all", codes: list[str] | None = None, base: QuerySet[Camera] | None = None
) -> list[Camera]:
    cameras = base if base is not None else Camera.objects.active()
    if phase != "all":
        cameras = cameras.filter(phase=int(phase))
    if codes:
        cameras = cameras.filter(code__in=codes)
        missing = sorted(set(codes) - set(cameras.values_list("code", flat=True)))
        if missing:
            raise CommandError(f"unknown or inactive camera(s): {', '.join(missing)}")
    return list(cameras.order_by("code"))
