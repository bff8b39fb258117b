"""Who may open which page: each page needs the same Django model permissions the API
and the admin check, so a role sees the same things everywhere."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "dashboard": ("parking.view_zone", "alerts.view_alert", "cameras.view_camera"),
    "alerts": ("alerts.view_alert",),
    "log": ("anpr.view_visit",),
    "vehicles": ("anpr.view_vehicle",),
    "reports": ("parking.view_zone", "anpr.view_visit"),
    "cameras": ("cameras.view_camera",),
}
ALERT_HANDLING = ("alerts.change_alert",)


def may_open(user, page: str) -> bool:
    return user.is_authenticated and user.has_perms(PAGE_PERMISSIONS[page])


def may_handle_alerts(user) -> bool:
    return user.has_perms(ALERT_HANDLING)


def page(name: str):
    """Sign-in required (redirect), then the page's permissions (403)."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_open(request.user, name):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        wrapper.page_name = name
        return wrapper
    return decorate


def handles_alerts(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_handle_alerts(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapper
