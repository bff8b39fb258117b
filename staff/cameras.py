"""The cameras page: each camera's status, last event, last heartbeat, firmware, push, plates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render
from django.utils import timezone

from cameras.models import Camera
from cameras.status import LABELS, camera_state

from .access import page
from .dashboard import DOTS

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@page("cameras")
def cameras(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = []
    for camera in Camera.objects.order_by("code"):
        state = camera_state(camera, now)
        rows.append((camera, DOTS.get(state, "never"), LABELS[state]))
    return render(request, "pages/cameras.html", {"rows": rows, "now": now})
