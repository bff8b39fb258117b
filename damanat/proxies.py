"""Which address sent a request, and whether it came over TLS, as trusted proxies say.

X-Forwarded-For and X-Forwarded-Proto are believed only from TRUSTED_PROXIES. A network
there (``10.0.0.0/24``) counts only with TRUSTED_PROXY_NETWORKS: otherwise every host in
it, cameras included, could name any address and pose as another camera.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

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


def _single_host(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return network.num_addresses == 1


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...], allow_networks: bool) -> tuple:
    """TRUSTED_PROXIES entries are addresses, or networks when the operator allows them."""
    networks = []
    for entry in filter(None, (p.strip() for p in proxies)):
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            # A typo must not take the webhook down; it only trusts nothing there.
            logger.error("TRUSTED_PROXIES entry %r is not an address or network; ignored", entry)
            continue
        if not (allow_networks or _single_host(network)):
            logger.error(
                "TRUSTED_PROXIES entry %r is a network; ignored unless TRUSTED_PROXY_NETWORKS=true", entry
            )
            continue
        networks.append(network)
    return tuple(networks)


def is_trusted_proxy(address: str | None) -> bool:
    return bool(address) and _trusted(
        address, tuple(settings.TRUSTED_PROXIES), settings.TRUSTED_PROXY_NETWORKS
    )


@lru_cache(maxsize=4096)
def _trusted(address: str, proxies: tuple[str, ...], allow_networks: bool) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(proxies, allow_networks))


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


class ForwardedProtoMiddleware:
    """Drops X-Forwarded-Proto from anyone but a trusted proxy, before Django reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_X_FORWARDED_PROTO" in request.META and not is_trusted_proxy(
            _valid(request.META.get("REMOTE_ADDR", "") or "")
        ):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
