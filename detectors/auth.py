"""Detector authentication: bearer tokens and the allowed-IP check (logins are throttled by
damanat.login_throttle)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from damanat.proxies import client_address

from .models import Detector, DetectorToken

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

# Seed 003's exact wording; clients may match on it.
IP_MISMATCH = "Request IP does not match the whitelisted IP address for this model"
UNAUTHENTICATED = "Unauthenticated."
ACCOUNT_DISABLED = _("This model account is disabled")


def request_ip(request: Request) -> str | None:
    return client_address(request.META)


def _plain_ip(text: str | None) -> str | None:
    """IPv4-mapped IPv6 (``::ffff:10.0.0.5``, dual-stack sockets) compares as the IPv4 address."""
    try:
        address = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def ip_allowed(detector: Detector, request: Request) -> bool:
    return _plain_ip(request_ip(request)) == _plain_ip(detector.allowed_ip)


def check_ip(detector: Detector, request: Request) -> None:
    if not ip_allowed(detector, request):
        raise exceptions.PermissionDenied(IP_MISMATCH)


class DetectorTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(UNAUTHENTICATED)
        token = DetectorToken.resolve(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(UNAUTHENTICATED)
        detector = token.detector
        check_ip(detector, request)
        if not detector.enabled:
            raise exceptions.PermissionDenied(ACCOUNT_DISABLED)
        token.touch()
        # request.user stays anonymous (it is a staff concept); the detector rides on request.auth.
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IsDetector(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.auth, DetectorToken)
