"""Make the front server's TLS certificate at first start, unless one is there already.

``manage.py ensure_certificate /app/certs`` writes ``server.crt`` and ``server.key`` (a
self-signed ECDSA certificate for the ALLOWED_HOSTS names and addresses) only when
``server.crt`` is missing, so a certificate the facility provides is never replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand

from damanat.certificates import self_signed

if TYPE_CHECKING:
    from django.core.management.base import CommandParser


class Command(BaseCommand):
    help = "Create a self-signed TLS certificate for nginx when none is installed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="where server.crt and server.key live")
        parser.add_argument("--days", type=int, default=825)

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        certificate, key = folder / "server.crt", folder / "server.key"
        if certificate.exists():
            self.stdout.write(f"{certificate} present: kept")
            return
        folder.mkdir(parents=True, exist_ok=True)
        names = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
        pem_certificate, pem_key = self_signed(names or ["localhost"], options["days"])
        key.write_bytes(pem_key)
        key.chmod(0o600)
        certificate.write_bytes(pem_certificate)
        self.stdout.write(f"{certificate} created, self-signed for {', '.join(names)}")
