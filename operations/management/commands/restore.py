"""Restore a backup made by ``manage.py backup`` into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, restore_backup, verify_backup

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Check a backup's manifest and restore it into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="backup folder")
        parser.add_argument("--check-only", action="store_true", help="verify checksums only")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            manifest = verify_backup(source) if options["check_only"] else restore_backup(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        verb = "verified" if options["check_only"] else "restored"
        self.stdout.write(f"{verb} {len(manifest['files'])} files from {source}")
