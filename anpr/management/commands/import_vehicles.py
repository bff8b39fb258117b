"""Import the vehicle registry from a CSV file (same columns and rules as the admin import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from anpr import registry_csv

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Import vehicles from CSV: all rows or none. --dry-run shows what would change."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with open(options["path"], encoding="utf-8-sig") as source:
            plan = registry_csv.plan_import(source.read())
        for error in plan.file_errors:
            self.stderr.write(error)
        for row in plan.rows:
            self._report(row)
        if plan.has_errors:
            raise CommandError("the file has errors; nothing was imported")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing imported")
            return
        counts = registry_csv.apply_import(plan)
        self.stdout.write(
            self.style.SUCCESS(
                "imported: {create} created, {update} updated, {unchanged} unchanged".format(**counts)
            )
        )

    def _report(self, row: registry_csv.RowPlan) -> None:
        if row.errors:
            self.stderr.write(f"line {row.line} {row.plate}: " + "; ".join(row.errors))
            return
        changes = ", ".join(f"{name}: {old!r} -> {new!r}" for name, (old, new) in row.changes.items())
        self.stdout.write(f"line {row.line} {row.plate}: {row.action} {changes}".rstrip())
