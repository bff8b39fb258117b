"""/api/v1/exporters — CRUD, test, enable/disable, export records and requeueing failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from integrations import exporting
from integrations.choices import ExportKind
from integrations.filtersets import ExporterFilterSet, ExportRecordFilterSet
from integrations.models import Exporter, ExportRecord

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

SECRET: dict[str, Any] = {
    "write_only": True,
    "required": False,
    "allow_blank": True,
    "style": {"input_type": "password"},
}


class ExporterSerializer(serializers.ModelSerializer):
    event_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ExportKind.choices), allow_empty=False
    )
    secret = serializers.CharField(**SECRET)
    password = serializers.CharField(**SECRET)
    has_secret = serializers.SerializerMethodField()
    records = serializers.SerializerMethodField()

    class Meta:
        model = Exporter
        fields = [
            "id",
            "name",
            "transport",
            "event_kinds",
            "url",
            "topic",
            "auth",
            "secret",
            "has_secret",
            "username",
            "password",
            "max_attempts",
            "backoff_seconds",
            "max_backoff_seconds",
            "timeout_seconds",
            "enabled",
            "last_success_at",
            "last_error",
            "last_error_at",
            "records",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_success_at", "last_error", "last_error_at", "created_at", "updated_at"]
        extra_kwargs = {
            "max_attempts": {"min_value": 1, "max_value": 20},
            "backoff_seconds": {"min_value": 0.1, "max_value": 3600},
            "max_backoff_seconds": {"min_value": 1, "max_value": 86400},
            "timeout_seconds": {"min_value": 0.5, "max_value": 60},
        }

    def get_has_secret(self, exporter: Exporter) -> bool:
        return bool(exporter.secret or exporter.password)

    def get_records(self, exporter: Exporter) -> dict:
        counts = dict(exporter.records.values_list("status").annotate(n=Count("id")).order_by())
        return {status: counts.get(status, 0) for status in ExportRecord.Status.values}

    def validate(self, attrs: dict) -> dict:
        merged = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ("transport", "url", "auth", "secret", "username", "password")
        }
        merged["transport"] = merged["transport"] or Exporter.Transport.WEBHOOK
        merged["auth"] = merged["auth"] or Exporter.Auth.NONE
        check_url(merged["transport"], merged["url"] or "")
        check_auth(merged)
        return attrs

    def update(self, exporter: Exporter, validated: dict) -> Exporter:
        for name in ("secret", "password"):  # write-only: left out keeps the stored value
            validated.setdefault(name, getattr(exporter, name))
        return super().update(exporter, validated)


def check_url(transport: str, url: str) -> None:
    parts = urlsplit(url)
    schemes = ("mqtt", "tcp") if transport == Exporter.Transport.MQTT else ("http", "https")
    if parts.scheme not in schemes or not parts.hostname:
        example = "mqtt://10.0.0.5:1883" if transport == Exporter.Transport.MQTT else "https://10.0.0.5/hook"
        raise serializers.ValidationError({"url": _("Use a URL like %(example)s.") % {"example": example}})


def check_auth(fields: dict) -> None:
    auth = fields["auth"]
    if fields["transport"] == Exporter.Transport.MQTT and auth in (Exporter.Auth.HMAC, Exporter.Auth.BEARER):
        raise serializers.ValidationError({"auth": _("MQTT exporters use no or basic authentication.")})
    if auth in (Exporter.Auth.HMAC, Exporter.Auth.BEARER) and not fields["secret"]:
        raise serializers.ValidationError({"secret": _("This authentication needs a secret.")})
    if auth == Exporter.Auth.BASIC and not (fields["username"] and fields["password"]):
        raise serializers.ValidationError({"username": _("Basic authentication needs a user and password.")})


class ExportRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExportRecord
        fields = [
            "id",
            "kind",
            "object_ref",
            "event_id",
            "status",
            "attempts",
            "next_attempt_at",
            "exported_at",
            "last_error",
            "last_status_code",
            "duration_ms",
            "created_at",
            "payload",
        ]
        read_only_fields = fields


class CanChangeExporter(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.is_authenticated and request.user.has_perm("integrations.change_exporter")


class CanViewExportRecords(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.is_authenticated and request.user.has_perm("integrations.view_exportrecord")


@extend_schema_view(
    **{
        name: extend_schema(tags=["Exporters"])
        for name in ("list", "retrieve", "create", "update", "partial_update", "destroy")
    }
)
class ExporterViewSet(viewsets.ModelViewSet):
    queryset = Exporter.objects.all()
    serializer_class = ExporterSerializer
    filterset_class = ExporterFilterSet
    lookup_value_regex = r"\d+"

    @extend_schema(
        request=None,
        responses={200: OpenApiTypes.OBJECT},
        tags=["Exporters"],
        summary="Send a sample and report status and response time",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChangeExporter])
    def test(self, request: Request, pk: str | None = None) -> Response:
        return Response(exporting.send_test(self.get_object()))

    @extend_schema(request=None, responses={200: ExporterSerializer}, tags=["Exporters"])
    @action(detail=True, methods=["post"], permission_classes=[CanChangeExporter])
    def enable(self, request: Request, pk: str | None = None) -> Response:
        return self._set_enabled(True)

    @extend_schema(request=None, responses={200: ExporterSerializer}, tags=["Exporters"])
    @action(detail=True, methods=["post"], permission_classes=[CanChangeExporter])
    def disable(self, request: Request, pk: str | None = None) -> Response:
        return self._set_enabled(False)

    @extend_schema(
        responses={200: ExportRecordSerializer(many=True)},
        tags=["Exporters"],
        summary="Export tracking: what was exported when, attempts, last error",
    )
    @action(detail=True, methods=["get"], permission_classes=[CanViewExportRecords])
    def records(self, request: Request, pk: str | None = None) -> Response:
        records = ExportRecordFilterSet(request.query_params, queryset=self.get_object().records.all()).qs
        page = self.paginate_queryset(records)
        return self.get_paginated_response(ExportRecordSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={200: OpenApiTypes.OBJECT},
        tags=["Exporters"],
        summary="Send failed records again",
    )
    @action(detail=True, methods=["post"], url_path="retry-failed", permission_classes=[CanChangeExporter])
    def retry_failed(self, request: Request, pk: str | None = None) -> Response:
        requeued = exporting.requeue_failed(self.get_object())
        exporting.sweep()
        return Response({"requeued": requeued})

    def _set_enabled(self, enabled: bool) -> Response:
        exporter = self.get_object()
        exporter.set_enabled(enabled)
        if enabled:
            exporting.sweep()  # what waited while disabled goes out now
        return Response(self.get_serializer(exporter).data)
