"""Health endpoints: stored state only, never a live call to a camera."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cameras.models import Camera
from cameras.status import UNREACHABLE, camera_state
from damanat.celery import app as celery_app
from integrations.stream import channel_layer_status

if TYPE_CHECKING:
    from django.http import HttpRequest


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 — any failure means "not ok", reported by kind
        return f"error: {type(exc).__name__}"


def broker_status() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            # No back-off sleep: a health probe must answer quickly when the broker is down.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"


def camera_statuses(now: datetime) -> dict:
    cameras = {}
    for cam in Camera.objects.active().only("code", "last_seen_at", "health"):
        cameras[cam.code] = {
            "status": camera_state(cam, now),
            "last_seen": cam.last_seen_at,
            "health": cam.health,
        }
    return cameras


class OpenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class HealthView(OpenView):
    @extend_schema(summary="System health", tags=["Health"], responses=OpenApiTypes.OBJECT)
    def get(self, request: HttpRequest) -> Response:
        now = timezone.now()
        database = database_status()
        broker = broker_status()
        stream = channel_layer_status()
        cameras = camera_statuses(now) if database == "ok" else {}
        unreachable = sorted(code for code, c in cameras.items() if c["status"] == UNREACHABLE)
        healthy = database == broker == stream == "ok" and not unreachable
        body = {
            "status": "ok" if healthy else "degraded",
            "stream": stream,
            "timestamp": now,
            "backend": "ok",
            "database": database,
            "broker": broker,
            "cameras_unreachable": unreachable,
            "cameras": cameras,
        }
        return Response(body)


class LivenessView(OpenView):
    @extend_schema(summary="Liveness: the process answers", tags=["Health"], responses=OpenApiTypes.OBJECT)
    def get(self, request: HttpRequest) -> Response:
        return Response({"status": "alive"})


class ReadinessView(OpenView):
    @extend_schema(
        summary="Readiness: database and broker reachable", tags=["Health"], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: HttpRequest) -> Response:
        checks = {"database": database_status(), "broker": broker_status()}
        ready = all(v == "ok" for v in checks.values())
        return Response({"status": "ready" if ready else "not_ready", **checks}, status=200 if ready else 503)
