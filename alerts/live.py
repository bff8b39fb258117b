"""Live alerts for staff pages: long-poll JSON and server-sent events.

``GET /api/v1/alerts/live?since=<cursor>&wait=<seconds>`` answers as soon as alerts were
created or changed after the cursor (or after ``wait`` seconds with none), with
``{"cursor": ..., "alerts": [...]}``; without ``since`` it answers at once with the active
alerts. The list filters apply (``kind``, ``severity``, ``zone``, ``camera`` …).
``GET /api/v1/alerts/stream`` sends the same batches as server-sent events
(``id:`` is the cursor; reconnecting browsers resume with Last-Event-ID).

Rows are followed only once they are SETTLE old, so a transaction that committed late with
an earlier ``updated_at`` is not skipped by the cursor. Both views are async, so a
waiting client holds no worker thread.
"""
from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .api.serializers import AlertSerializer
from .filtersets import AlertFilterSet
from .models import Alert

POLL_SECONDS = 0.25
SETTLE = timedelta(milliseconds=300)
BATCH = 200
SNAPSHOT = 100
HEARTBEAT_SECONDS = 15.0


def filtered(params=None) -> QuerySet:
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
    alerts = (alerts.active()
              .select_related("camera", "zone", "acknowledged_by", "assigned_to", "resolved_by")
              [:SNAPSHOT])
    return {"cursor": _format(cursor), "alerts": AlertSerializer(alerts, many=True).data}


def changes_since(since: datetime, alerts: QuerySet | None = None) -> dict:
    """Alerts created or changed after ``since``, oldest change first."""
    settled = timezone.now() - SETTLE
    alerts = alerts if alerts is not None else Alert.objects.all()
    rows = list(alerts.filter(updated_at__gt=since, updated_at__lte=settled)
                .select_related("camera", "zone", "acknowledged_by", "assigned_to", "resolved_by")
                .order_by("updated_at", "id")[:BATCH])
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


def wait_for_changes_blocking(since: datetime, wait: float, alerts: QuerySet) -> dict:
    """The same wait for WSGI servers, where a streaming response must be a plain iterator."""
    deadline = time.monotonic() + wait
    while True:
        batch = changes_since(since, alerts)
        if batch["alerts"] or time.monotonic() >= deadline:
            return batch
        time.sleep(POLL_SECONDS)


async def wait_for_changes(since: datetime, wait: float, alerts: QuerySet) -> dict:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        batch = await sync_to_async(changes_since)(since, alerts)
        if batch["alerts"] or loop.time() >= deadline:
            return batch
        await asyncio.sleep(POLL_SECONDS)


async def live(request: HttpRequest):
    denied = await _refuse(request)
    if denied:
        return denied
    try:
        since = parse_cursor(request.GET.get("since"))
        wait = max(0.0, min(float(request.GET.get("wait", settings.ALERT_LIVE_WAIT_SECONDS)), 60.0))
        alerts = filtered(request.GET)
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    if since is None:
        return JsonResponse(await sync_to_async(snapshot)(alerts), encoder=DjangoJSONEncoder)
    return JsonResponse(await wait_for_changes(since, wait, alerts), encoder=DjangoJSONEncoder)


async def stream(request: HttpRequest):
    denied = await _refuse(request)
    if denied:
        return denied
    try:
        since = parse_cursor(request.headers.get("Last-Event-ID") or request.GET.get("since"))
        alerts = filtered(request.GET)
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    # Each server kind consumes only its own kind of iterator incrementally.
    asgi = isinstance(request, ASGIRequest)
    events = _events(since, alerts) if asgi else _events_blocking(since, alerts)
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _events(since: datetime | None, alerts: QuerySet):
    if since is None:
        first = await sync_to_async(snapshot)(alerts)
        since = parse_cursor(first["cursor"])
        yield _sse(first)
    while True:
        batch = await wait_for_changes(since, HEARTBEAT_SECONDS, alerts)
        since = parse_cursor(batch["cursor"])
        yield _sse(batch) if batch["alerts"] else f": keep-alive\nid: {batch['cursor']}\n\n"


def _events_blocking(since: datetime | None, alerts: QuerySet):
    if since is None:
        first = snapshot(alerts)
        since = parse_cursor(first["cursor"])
        yield _sse(first)
    while True:
        batch = wait_for_changes_blocking(since, HEARTBEAT_SECONDS, alerts)
        since = parse_cursor(batch["cursor"])
        yield _sse(batch) if batch["alerts"] else f": keep-alive\nid: {batch['cursor']}\n\n"


def _sse(batch: dict) -> str:
    data = json.dumps(batch["alerts"], cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"id: {batch['cursor']}\nevent: alerts\ndata: {data}\n\n"


async def _refuse(request: HttpRequest) -> JsonResponse | None:
    user = await _user(request)
    if user is None or not user.is_authenticated:
        return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
    if not await sync_to_async(user.has_perm)("alerts.view_alert"):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return None


async def _user(request: HttpRequest):
    """The session user, or the owner of a DRF token (``Authorization: Token <key>``)."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "token" and key:
        return await sync_to_async(_token_user)(key.strip())
    return await request.auser()


def _token_user(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    return token.user if token and token.user.is_active else None
