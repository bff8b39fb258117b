"""Write a consistent backup: database dump, media files and a SHA-256 manifest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backups import BackupError, create_backup

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Back up the database and media files into a new folder with a checksummed manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="", help="folder to create (default BACKUP_DIR/<time>)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target = Path(options["output"] or Path(settings.BACKUP_DIR) / stamp)
        try:
            manifest = create_backup(target)
        except (BackupError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(f"backup written to {target}: {len(manifest['files'])} files, {size} bytes")
