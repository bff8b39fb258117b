"""POST /api/v1/events/camera — the one endpoint every camera pushes to.

Never answers an error a camera would retry forever: bad payloads are stored and
answered 200 with the reason. 401 for wrong push credentials, 413 for oversized
bodies, 503 when the event could not be stored (so the camera retries).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from cameras.ingest import (
    PREVIEW_BYTES,
    Push,
    PushResult,
    StoreFailed,
    kept_headers,
    receive_push,
    reject_oversized,
)
from cameras.signals import push_answered
from damanat.proxies import client_address

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.parsers import BaseParser
    from rest_framework.renderers import BaseRenderer
    from rest_framework.request import Request

logger = logging.getLogger(__name__)

STORE_FAILED = {
    "status": "error",
    "event_id": None,
    "event_type": "",
    "reason": "event could not be stored, retry later",
}


def body_limit(content_type: str) -> int:
    if content_type.lower().startswith("multipart/"):
        return settings.EVENT_MAX_MULTIPART_BYTES
    return settings.EVENT_MAX_BODY_BYTES


def declared_length(meta: dict) -> int:
    declared = str(meta.get("CONTENT_LENGTH") or "0").strip()
    return int(declared) if declared.isdigit() else 0


def is_chunked(meta: dict) -> bool:
    return "chunked" in str(meta.get("HTTP_TRANSFER_ENCODING", "")).lower()


def read_stream(stream: IO[bytes], size: int) -> bytes:
    """Up to ``size`` bytes, however the server hands them out."""
    chunks, left = [], size
    while left > 0 and (chunk := stream.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_body(django_request: HttpRequest, limit: int) -> tuple[bytes, bool]:
    """Read at most limit+1 bytes; report whether the body was over the limit."""
    meta = django_request.META
    if declared_length(meta) > limit:
        return django_request.read(PREVIEW_BYTES), True
    if is_chunked(meta) and "wsgi.input" in meta:
        # No Content-Length: Django's WSGI request reads nothing, so read the server's
        # de-chunked stream directly, within the same limit.
        body = read_stream(meta["wsgi.input"], limit + 1)
    else:
        body = django_request.read(limit + 1)
    return body, len(body) > limit


def answer(body: dict, status: int, headers: dict | None = None) -> HttpResponse:
    """The camera's answer, always JSON. A plain response: DRF's rendering machinery
    does nothing here that json.dumps does not, on every push."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(content, content_type="application/json", status=status, headers=headers)


class AlwaysJSON(BaseContentNegotiation):
    """Cameras get JSON whatever they put in Accept; no header parsing on every push."""

    # DRF hands its lists over; the stub's Iterable would not let the first be taken.
    def select_parser(  # type: ignore[override]
        self,
        request: Request,
        parsers: Sequence[BaseParser],
    ) -> BaseParser | None:
        return parsers[0] if parsers else None

    def select_renderer(
        self,
        request: Request,
        renderers: Sequence[BaseRenderer],  # type: ignore[override]
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class CameraWebhookView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJSON

    @extend_schema(
        summary="Camera webhook (all events)",
        request={"application/xml": str, "application/json": dict, "multipart/form-data": dict},
        responses={
            200: OpenApiResponse(description="{status, event_id, event_type, reason}"),
            401: OpenApiResponse(description="push credentials required"),
            413: OpenApiResponse(description="body over the limit"),
            503: OpenApiResponse(description="event could not be stored"),
        },
        tags=["Camera events"],
    )
    def post(self, request: Request) -> HttpResponse:
        started = time.perf_counter()
        try:
            result = self.receive(request._request)
        except StoreFailed:
            return self.answered(STORE_FAILED, 503, started, {"Retry-After": "5"})
        except Exception:  # noqa: BLE001 — a camera must never see a 500; it retries a 503
            logger.exception("camera push could not be processed")
            return self.answered(STORE_FAILED, 503, started, {"Retry-After": "5"})
        headers = {"WWW-Authenticate": result.challenge} if result.challenge else None
        return self.answered(result.as_json(), result.http_status, started, headers)

    def answered(
        self, body: dict, status: int, started: float, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        push_answered.send(
            type(self),
            event_type=body["event_type"],
            status=body["status"],
            seconds=time.perf_counter() - started,
        )
        return answer(body, status, headers)

    def receive(self, raw: HttpRequest) -> PushResult:
        meta = raw.META
        content_type = meta.get("CONTENT_TYPE", "")
        limit = body_limit(content_type)
        body, too_big = read_body(raw, limit)
        push = Push(
            body=body,
            content_type=content_type,
            source_ip=client_address(meta),
            method=raw.method,
            authorization=meta.get("HTTP_AUTHORIZATION", ""),
            headers=kept_headers(meta),
            declared_size=declared_length(meta),
        )
        return reject_oversized(push, limit) if too_big else receive_push(push)
