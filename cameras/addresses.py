"""Which camera sent a push: the kernel's trusted-proxy rules (damanat.proxies)."""
from __future__ import annotations

from damanat.proxies import client_address, is_trusted_proxy

__all__ = ["client_address", "is_trusted_proxy"]
