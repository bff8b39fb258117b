"""Light simulated traffic for the demo site: cars arrive and leave through the gate cameras,
and the parking rows count them, pushed to the webhook exactly as the cameras push."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlparse

import requests

from cameras import simulator
from cameras.models import Camera
from damanat.outbound import in_networks
from parking.models import Zone

from .demo import UNREGISTERED
from .models import Vehicle, Visit

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

LOOPBACK = ["127.0.0.0/8", "::1/128"]
MOST_INSIDE = 25
TIMEOUT_SECONDS = 5


@dataclass
class Push:
    what: str
    camera_ip: str
    body: bytes
    content_type: str


def next_push(rng: random.Random) -> Push | None:
    """An exit of a car inside, a counting event in a parking row, or an arrival."""
    inside = sorted(Visit.objects.open().values_list("plate", flat=True))
    roll = rng.random()
    if inside and (roll < 0.4 or len(inside) >= MOST_INSIDE):
        return _gate_push(Camera.Role.EXIT_GATE, rng.choice(inside))
    if roll < 0.6:
        return _row_push(rng)
    known = set(Vehicle.objects.allowed().values_list("plate", flat=True)) | set(UNREGISTERED)
    outside = sorted(known - set(inside))
    return _gate_push(Camera.Role.ENTRY_GATE, rng.choice(outside)) if outside else None


def _gate_push(role: str, plate: str) -> Push | None:
    camera = Camera.objects.filter(role=role).first()
    if camera is None:
        return None
    direction = "entry" if role == Camera.Role.ENTRY_GATE else "exit"
    return Push(
        f"{direction} {plate}", camera.ip_address, simulator.access_controller_json(plate), "application/json"
    )


def _row_push(rng: random.Random) -> Push | None:
    zones = list(Zone.objects.counting().filter(capacity__isnull=False).select_related("camera"))
    if not zones:
        return None
    zone = rng.choice(zones)
    event = "regionExiting" if zone.current_count >= zone.capacity or rng.random() < 0.5 else "regionEntrance"
    return Push(
        f"{event} {zone.code}",
        zone.camera.ip_address,
        simulator.region_event_xml(event, zone.code),
        "application/xml",
    )


def check_loopback(url: str) -> None:
    if not in_networks(urlparse(url).hostname or "", LOOPBACK):
        raise ValueError(f"the demo traffic goes to this machine only, not to {url}")


def run(url: str, *, every: float, count: int, out: TextIO | OutputWrapper, seed: int | None = None) -> int:
    """Send ``count`` pushes (0: until stopped), one every ``every`` seconds on average."""
    check_loopback(url)
    rng = random.Random(seed)  # noqa: S311 — simulated traffic, not security
    sent = 0
    while count == 0 or sent < count:
        push = next_push(rng)
        if push is not None:
            _send(url, push, out)
            sent += 1
        time.sleep(every * rng.uniform(0.5, 1.5))
    return sent


def _send(url: str, push: Push, out: TextIO | OutputWrapper) -> None:
    try:
        response = requests.post(
            url,
            data=push.body,
            timeout=TIMEOUT_SECONDS,
            headers={"Content-Type": push.content_type, "X-Forwarded-For": push.camera_ip},
        )
        out.write(f"{push.what}: HTTP {response.status_code}")
    except requests.RequestException as exc:
        out.write(f"{push.what}: {type(exc).__name__} (is the server up?)")
    out.flush()
