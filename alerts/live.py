"""Alerts changed since a cursor, for clients catching up: ``GET /api/v1/alerts/live``.

``?since=<cursor>`` answers at once with ``{"cursor": ..., "alerts": [...]}``, the alerts
created or changed after the cursor; without ``since``, the active alerts. The list filters
apply (``kind``, ``severity``, ``zone``, ``camera`` …). Nothing here waits: live changes are
pushed over the WebSocket stream (``/api/v1/events/stream?kind=alert``, the ASGI service),
so no client holds a web worker's thread. A client reconnecting to the stream asks here
for what it missed.

Rows are followed only once they are SETTLE old, so a transaction that committed late with
an earlier ``updated_at`` is not skipped by the cursor.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .api.serializers import AlertSerializer
from .filtersets import AlertFilterSet
from .models import Alert

if TYPE_CHECKING:
    pass

SETTLE = timedelta(milliseconds=300)
BATCH = 200
SNAPSHOT = 100


def filtered(params: QueryDict | None = None) -> QuerySet[Alert]:
    """Alerts matching the list filters (kind, severity, zone, camera …) the page passes along."""
    params = params.copy() if params is not None else QueryDict(mutable=True)
    for own in ("since", "wait", "until"):
        params.pop(own, None)
    filterset = AlertFilterSet(data=params, queryset=Alert.objects.all())
    if not filterset.is_valid():
        raise ValueError(json.dumps(filterset.errors))
    return filterset.qs


def snapshot(alerts: QuerySet | None = None) -> dict:
    """The active alerts now, and the cursor to follow changes from."""
    cursor = timezone.now() - SETTLE
    alerts = alerts if alerts is not None else Alert.objects.all()
    alerts = alerts.active().select_related(
        "camera", "zone", "acknowledged_by", "assigned_to", "resolved_by"
    )[:SNAPSHOT]
    return {"cursor": _format(cursor), "alerts": AlertSerializer(alerts, many=True).data}


def changes_since(since: datetime, alerts: QuerySet | None = None) -> dict:
    """Alerts created or changed after ``since``, oldest change first."""
    settled = timezone.now() - SETTLE
    alerts = alerts if alerts is not None else Alert.objects.all()
    rows = list(
        alerts.filter(updated_at__gt=since, updated_at__lte=settled)
        .select_related("camera", "zone", "acknowledged_by", "assigned_to", "resolved_by")
        .order_by("updated_at", "id")[:BATCH]
    )
    # A full batch continues from its last row; otherwise everything up to `settled` is seen.
    cursor = rows[-1].updated_at if len(rows) == BATCH else max(settled, since)
    return {"cursor": _format(cursor), "alerts": AlertSerializer(rows, many=True).data}


def parse_cursor(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text.replace(" ", "+"))
    if moment is None:
        raise ValueError("cursor is not a timestamp")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def _format(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class LiveView(APIView):
    """The API's own sign-in and permission: a session or ``Authorization: Token <key>``."""

    required_permissions = {"GET": ["alerts.view_alert"]}

    @extend_schema(
        summary="Alerts changed since a cursor (catching up with the stream)", responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        try:
            since = parse_cursor(request.GET.get("since"))
            alerts = filtered(request.GET)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(snapshot(alerts) if since is None else changes_since(since, alerts))
