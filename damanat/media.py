"""GET /media/<path>: pictures and recordings for the staff allowed to see them.

Behind nginx (MEDIA_ACCEL_REDIRECT=true) the answer is an empty response with
``X-Accel-Redirect`` naming nginx's internal media location, so nginx sends the file and
no WSGI thread streams it. Without a front server (the demo) Django sends the file itself.
Anonymous users are sent to sign in; signed-in users without the permission get 403.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

# The first folder of a stored name (the fields' upload_to) and who may read it.
FOLDER_PERMISSIONS = {
    "events": "cameras.view_eventpicture",
    "evidence": "detectors.view_evidence",
}


def serve_media(request: HttpRequest, name: str) -> HttpResponse:
    user = _user(request)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    permission = FOLDER_PERMISSIONS.get(name.split("/", 1)[0])
    if permission is None or not user.has_perm(permission):
        return HttpResponseForbidden()
    path = _stored_file(name)
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + quote(name)
    else:
        response = FileResponse(path.open("rb"))
    # Pictures of people and plates: never kept by a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _stored_file(name: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    return path


def _user(request: HttpRequest) -> Any:
    """The session user, or the owner of ``Authorization: Token <key>`` (integrations fetch pictures too)."""
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        found = None
    return found[0] if found else request.user
