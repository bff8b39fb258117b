"""POST /api/v1/events/ingest — plate reads from edge sensors (multipart or JSON)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cameras.ingest import StoreFailed
from cameras.models import Camera, CameraEvent
from damanat.proxies import client_address
from integrations.ingest import Picture, PlateRead, ingest_plate_read

from .serializers import IngestedEventSerializer

if TYPE_CHECKING:
    from rest_framework.request import Request

    from cameras.ingest import PushResult

IMAGE_SIGNATURES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}
JSON_FIELDS = ("event", "data", "payload", "metadata")
PICTURE_NAMES = ("frame", "crop")
FIELDS_ALLOWANCE = 256 * 1024


class ImageTooLarge(Exception):
    pass


def image_kind(head: bytes) -> tuple[str, str] | None:
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


class PlateReadSerializer(serializers.Serializer):
    camera = serializers.CharField(required=False, help_text=_("Camera code, name or id."))
    camera_id = serializers.IntegerField(required=False)
    plate = serializers.CharField(
        max_length=64, allow_blank=True, help_text=_('The read; "" or "unknown" when nothing was read.')
    )
    confidence = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text=_("0–1 or 0–100; stored as a percentage."),
    )
    timestamp = serializers.CharField(
        required=False, allow_blank=True, help_text=_("ISO 8601; without an offset it is facility time.")
    )
    ocr_candidates = serializers.ListField(required=False, child=serializers.JSONField(), max_length=20)
    vehicle_type = serializers.CharField(required=False, allow_blank=True, max_length=30)
    vehicle_color = serializers.CharField(required=False, allow_blank=True, max_length=30)
    vehicle_colour = serializers.CharField(required=False, allow_blank=True, max_length=30)
    vehicle_make = serializers.CharField(required=False, allow_blank=True, max_length=50)
    direction = serializers.CharField(required=False, allow_blank=True, max_length=20)
    tpms = serializers.JSONField(required=False, allow_null=True)
    event_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The sensor's own id for the read; resending is harmless."),
    )
    sensor = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate(self, attrs: dict) -> dict:
        attrs["camera"] = self.find_camera(attrs.get("camera"), attrs.get("camera_id"))
        confidence = attrs.get("confidence")
        if confidence is not None and confidence <= 1:
            attrs["confidence"] = round(confidence * 100, 2)
        return attrs

    def find_camera(self, reference: str | None, camera_id: int | None) -> Camera:
        if reference is None and camera_id is None:
            raise serializers.ValidationError({"camera": _("Name the camera (code, name or id).")})
        camera = (
            camera_by_reference(reference)
            if camera_id is None
            else Camera.objects.filter(pk=camera_id).first()
        )
        if camera is None:
            raise serializers.ValidationError({"camera": _("Unknown camera.")})
        return camera


def camera_by_reference(reference: str) -> Camera | None:
    """By code first (what sensors are configured with), then by name, then by id."""
    cameras = Camera.objects.order_by("pk")
    return (
        cameras.filter(code__iexact=reference).first()
        or cameras.filter(name__iexact=reference).first()
        or (cameras.filter(pk=int(reference)).first() if reference.isdigit() else None)
    )


def read_fields(request: Request) -> dict:
    """The event fields: a JSON document in one form field, or the form/JSON fields themselves."""
    data = request.data
    if not isinstance(data, dict):
        raise serializers.ValidationError({"event": _("Send a JSON object or form fields.")})
    for name in JSON_FIELDS:
        text = data.get(name)
        if isinstance(text, str) and text.strip():
            try:
                document = json.loads(text)
            except ValueError:
                raise serializers.ValidationError({name: _("Not valid JSON.")})
            if not isinstance(document, dict):
                raise serializers.ValidationError({name: _("Must be a JSON object.")})
            return document
    fields = {key: data.get(key) for key in data if key not in PICTURE_NAMES}
    for key in ("ocr_candidates", "tpms"):
        if isinstance(fields.get(key), str):
            try:
                fields[key] = json.loads(fields[key])
            except ValueError:
                raise serializers.ValidationError({key: _("Not valid JSON.")})
    return fields


def read_pictures(request: Request) -> list[Picture]:
    limit = settings.EDGE_IMAGE_MAX_BYTES
    pictures, errors = [], {}
    for name in PICTURE_NAMES:
        upload = request.FILES.get(name)
        if upload is None:
            continue
        if upload.size > limit:
            raise ImageTooLarge(f"{name}: larger than {limit} bytes")
        data = upload.read()
        kind = image_kind(data[:8])
        if kind is None:
            errors[name] = [_("Must be a JPEG or PNG image.")]
            continue
        pictures.append(Picture(name, data, *kind))
    if errors:
        raise serializers.ValidationError(errors)
    return pictures


def body_limit() -> int:
    """Two pictures at their limit plus room for the fields: refused before anything is read."""
    return 2 * settings.EDGE_IMAGE_MAX_BYTES + FIELDS_ALLOWANCE


def declared_length(request: Request) -> int:
    text = request._request.META.get("CONTENT_LENGTH") or "0"
    return int(text) if text.isdigit() else 0


class EventIngestView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    required_permissions = {"POST": ["cameras.add_cameraevent"]}

    @extend_schema(
        summary="Ingest a plate read from an edge sensor",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "event": {"type": "string", "description": "the fields below as one JSON object"},
                    "frame": {"type": "string", "format": "binary"},
                    "crop": {"type": "string", "format": "binary"},
                },
            },
            "application/json": PlateReadSerializer,
        },
        responses={
            201: IngestedEventSerializer,
            200: OpenApiResponse(description="duplicate or ignored"),
            400: OpenApiResponse(description="invalid field, unknown camera or bad image"),
            413: OpenApiResponse(description="image over EDGE_IMAGE_MAX_BYTES"),
            503: OpenApiResponse(description="could not be stored; retry"),
        },
        tags=["Events"],
    )
    def post(self, request: Request) -> Response:
        if declared_length(request) > body_limit():
            return Response(
                {"detail": f"request body larger than {body_limit()} bytes"},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            pictures = read_pictures(request)
        except ImageTooLarge as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        serializer = PlateReadSerializer(data=read_fields(request))
        serializer.is_valid(raise_exception=True)
        try:
            result = ingest_plate_read(plate_read(serializer.validated_data, pictures, request))
        except StoreFailed:
            return Response(
                {"detail": "event could not be stored, retry later"}, status=503, headers={"Retry-After": "5"}
            )
        return respond(result)


def plate_read(data: dict, pictures: list[Picture], request: Request) -> PlateRead:
    return PlateRead(
        camera=data["camera"],
        plate=data.get("plate", ""),
        confidence=data.get("confidence"),
        timestamp=data.get("timestamp", ""),
        ocr_candidates=data.get("ocr_candidates", []),
        vehicle_type=data.get("vehicle_type", ""),
        vehicle_color=data.get("vehicle_color") or data.get("vehicle_colour", ""),
        vehicle_make=data.get("vehicle_make", ""),
        direction=data.get("direction", ""),
        tpms=data.get("tpms"),
        sensor_event_id=data.get("event_id", ""),
        sensor=data.get("sensor", ""),
        pictures=pictures,
        source_ip=client_address(request._request.META),
    )


def respond(result: PushResult) -> Response:
    body = result.as_json()
    if result.status == "duplicate" or result.event_id is None:
        return Response(body, status=status.HTTP_200_OK)
    event = CameraEvent.objects.select_related("camera").prefetch_related("pictures").get(pk=result.event_id)
    body["event"] = IngestedEventSerializer(event).data
    code = status.HTTP_201_CREATED if result.status == "accepted" else status.HTTP_200_OK
    return Response(body, status=code)
