"""Load the demo site: the seed's cameras, floors and zones, sample data, a staff login.

Each app may contribute a ``demo.py`` with ``load(out)``; they run in dependency order.
Idempotent: running it again updates the same records.
"""

from __future__ import annotations

import importlib
import secrets
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

DEMO_APPS = ["cameras", "parking", "anpr", "alerts", "detectors", "integrations", "damanat"]


class Command(BaseCommand):
    help = "Create the demo site and print the staff login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="", help="default: a new random password")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for app in DEMO_APPS:
                module = _demo_module(app)
                if module is not None:
                    module.load(self.stdout)
        password = options["password"] or secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(username=options["username"])
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Staff login: username={user.username} password={password}"))


def _demo_module(app: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{app}.demo")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.demo":
            raise
        return None
