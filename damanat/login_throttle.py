"""Sign-in throttling for every login: staff pages, the admin, API tokens, detector services.

django-axes counts failures per (user name, address) in the database, so every web worker
and host sees the same count (a per-process cache let two workers allow twice the limit).
Staff logins go through Django's ``authenticate`` and are counted by axes' backend and
signal; logins that are not Django users (detector services) call ``record_failure``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .proxies import client_address

if TYPE_CHECKING:
    from django.http import HttpRequest

DETECTOR_LOGIN_PATH = "/api/model/login"


def _is_detector_login(request: HttpRequest) -> bool:
    return request is not None and request.path.startswith(DETECTOR_LOGIN_PATH)


def client_ip(request: HttpRequest) -> str | None:
    """The sender as trusted proxies say (AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request.META)


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    if _is_detector_login(request):
        return settings.DETECTOR_LOGIN_MAX_ATTEMPTS
    return settings.STAFF_LOGIN_MAX_ATTEMPTS


def lockout_seconds(request: HttpRequest | None = None) -> int:
    if _is_detector_login(request):
        return settings.DETECTOR_LOGIN_WINDOW_SECONDS
    return settings.STAFF_LOGIN_LOCKOUT_SECONDS


def cool_off(request: HttpRequest | None = None) -> timedelta:
    return timedelta(seconds=lockout_seconds(request))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with Retry-After: JSON on the API, the sign-in page's message elsewhere."""
    seconds = lockout_seconds(request)
    message = _("Too many failed sign-ins. Try again in %(minutes)d minute(s).") % {
        "minutes": max(1, round(seconds / 60))
    }
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def record_failure(request: HttpRequest, username: str, sender: object) -> None:
    """A failed login outside Django's authenticate, counted like any other."""
    user_login_failed.send(sender=sender, credentials={"username": username}, request=request)


def record_success(request: HttpRequest, username: str) -> None:
    AxesProxyHandler.reset_attempts(ip_address=client_ip(request), username=username)
