"""Which address sent a request: X-Forwarded-For is believed only from trusted proxies."""
from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(meta: dict) -> str | None:
    remote = _valid(meta.get("REMOTE_ADDR", "") or "")
    trusted = set(settings.TRUSTED_PROXIES)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if not (remote in trusted and forwarded):
        return remote
    hops = [h for h in (_valid(part) for part in forwarded.split(",")) if h]
    # Walk back from the nearest hop; the first untrusted one is the real sender.
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else remote
