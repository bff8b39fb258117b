"""Which address sent a request: X-Forwarded-For is believed only from trusted proxies."""
from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)


# Cameras are few and push many times a second: parse each address string once.
@lru_cache(maxsize=4096)
def _valid(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack listener reports IPv4 cameras as ::ffff:a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    """TRUSTED_PROXIES entries are addresses or networks (``10.0.0.0/8``)."""
    networks = []
    for entry in filter(None, (p.strip() for p in proxies)):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            # A typo must not take the webhook down; it only trusts nothing there.
            logger.error("TRUSTED_PROXIES entry %r is not an address or network; ignored", entry)
    return tuple(networks)


def is_trusted_proxy(address: str | None) -> bool:
    return bool(address) and _trusted(address, tuple(settings.TRUSTED_PROXIES))


@lru_cache(maxsize=4096)
def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(proxies))


def client_address(meta: dict) -> str | None:
    remote = _valid(meta.get("REMOTE_ADDR", "") or "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if not (forwarded and is_trusted_proxy(remote)):
        return remote
    hops = [h for h in (_valid(part) for part in forwarded.split(",")) if h]
    # Walk back from the nearest hop; the first untrusted one is the real sender.
    for hop in reversed(hops):
        if not is_trusted_proxy(hop):
            return hop
    return hops[0] if hops else remote
