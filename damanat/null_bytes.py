"""A NUL in a URL or query string is a 400 on every page and API, never a 500.

PostgreSQL text cannot hold U+0000, so a filter such as ``?plate=%00`` would otherwise
fail deep inside a query. Camera pushes are exempt: the webhook answers every body itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

CAMERA_PUSH_PATHS = ("/api/v1/events/camera", "/api/v1/events/ingest")


def has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    query = request.META.get("QUERY_STRING", "")
    if "%00" not in query and "\x00" not in query:
        return False
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
    )


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBadRequest | JsonResponse:
        if request.path.startswith(CAMERA_PUSH_PATHS) or not has_nul(request):
            return self.get_response(request)
        message = _("The request contains a NUL character.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message)
