"""Who may open which page: each page needs the same Django model permissions the API
and the admin check, so a role sees the same things everywhere."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest, HttpResponseBase

PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "dashboard": ("parking.view_zone", "alerts.view_alert", "cameras.view_camera"),
    "alerts": ("alerts.view_alert",),
    "scorecard": ("alerts.view_alert",),
    "backtest": ("alerts.view_backtestrun",),
    "inside": ("anpr.view_visit",),
    "log": ("anpr.view_gatepassage",),
    "misreads": ("anpr.view_misreadreview",),
    "vehicles": ("anpr.view_vehicle",),
    "reports": ("parking.view_occupancysnapshot", "anpr.view_visit", "anpr.view_gatepassage"),
    "cameras": ("cameras.view_camera",),
    "evidence": ("evidence.view_evidenceexport",),
}


def may_open(user: User | AnonymousUser, page: str) -> bool:
    return user.is_authenticated and user.has_perms(PAGE_PERMISSIONS[page])


def page(name: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Sign-in required (redirect), then the page's permissions (403)."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_open(request.user, name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.page_name = name
        return wrapper

    return decorate
