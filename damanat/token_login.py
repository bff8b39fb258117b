"""POST /api/v1/auth/token: an integrator's user name and password for its API token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.authtoken.views import ObtainAuthToken

from . import login_throttle

if TYPE_CHECKING:
    from django.http import HttpResponse
    from rest_framework.request import Request


class TokenLoginView(ObtainAuthToken):
    """DRF's token login, refused with 429 while axes has the caller locked out."""

    # A lockout answers with the throttle's own JSON response, not a DRF Response.
    def post(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        username = str(request.data.get("username", "")) if hasattr(request.data, "get") else ""
        if login_throttle.is_locked(request, username):
            return login_throttle.lockout_response(request)
        return super().post(request, *args, **kwargs)
