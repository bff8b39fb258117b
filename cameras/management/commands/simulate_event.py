"""Send a simulated camera push to a running backend (the seed's simulate_event.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cameras import simulator

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

EVENTS = ["fielddetection", "linedetection", "regionEntrance", "regionExiting", "anpr"]


class Command(BaseCommand):
    help = "POST a simulated camera event to the webhook; --ip is sent as X-Forwarded-For."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", default="fielddetection", choices=EVENTS)
        parser.add_argument("--zone", default="zone-A")
        parser.add_argument("--target", default="vehicle")
        parser.add_argument("--ip", default="192.168.1.103")
        parser.add_argument("--plate", default="ABC-1234")
        parser.add_argument(
            "--format",
            dest="anpr_format",
            default="json",
            choices=["json", "xml"],
            help="ANPR payload: json (AccessControllerEvent) or xml (Hikvision ANPR)",
        )
        parser.add_argument("--with-picture", action="store_true", help="send multipart with a JPEG")
        parser.add_argument(
            "--url", default=f"http://127.0.0.1:{settings.BACKEND_PORT}{settings.BACKEND_EVENT_PATH}"
        )

    def handle(self, *args: Any, **o: Any) -> None:
        body, content_type = simulator.build(
            o["event"],
            zone=o["zone"],
            target=o["target"],
            plate=o["plate"],
            anpr_format=o["anpr_format"],
            with_picture=o["with_picture"],
        )
        try:
            resp = requests.post(
                o["url"],
                data=body,
                timeout=10,
                headers={"Content-Type": content_type, "X-Forwarded-For": o["ip"]},
            )
        except requests.RequestException as exc:
            raise CommandError(f"cannot reach {o['url']}: {exc}") from exc
        self.stdout.write(f"{o['event']} → HTTP {resp.status_code}: {resp.text}")
        if resp.status_code >= 400:
            raise SystemExit(1)
