"""Check an evidence bundle's signature and every file's SHA-256."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError

from evidence import signing
from evidence.verify import verify_bundle

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Verify an evidence bundle (zip): exit 0 with 'verified', else name the first bad file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="the bundle's zip file")
        parser.add_argument(
            "--public-key",
            default="",
            help="base64 Ed25519 public key to check against (default: this installation's)",
        )
        parser.add_argument(
            "--print-public-key",
            action="store_true",
            help="print this installation's public key and key id (to give to receivers)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_public_key"]:
            key = signing.public_key()
            self.stdout.write(f"key id {key.key_id}\npublic key {key.encoded}")
            return
        if not options["path"]:
            raise CommandError("name the bundle to verify")
        verdict = verify_bundle(options["path"], key=_key(options["public_key"]))
        if not verdict.ok:
            raise CommandError(verdict.problem)
        self.stdout.write(f"verified: {verdict.files} files, signature valid")


def _key(encoded: str) -> signing.PublicKey | None:
    if not encoded:
        return None
    try:
        return signing.PublicKey(base64.b64decode(encoded, validate=True))
    except ValueError:
        raise CommandError("--public-key is not base64")
