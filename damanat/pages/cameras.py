"""The cameras page: each camera's status, last event, last heartbeat, firmware, push."""
from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from cameras.models import Camera

from .access import page
from .dashboard import camera_status


@page("cameras")
def cameras(request):
    now = timezone.now()
    rows = [(camera, camera_status(camera, now)) for camera in Camera.objects.order_by("code")]
    return render(request, "pages/cameras.html", {"rows": rows, "now": now})
