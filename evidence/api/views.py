"""POST /api/v1/evidence {subject_type, subject_id}: export a case; GET its download."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from damanat.api_docs import ProductAutoSchema
from evidence.cases import load_subject
from evidence.delivery import send_bundle
from evidence.exporting import export_bundle
from evidence.models import EvidenceExport

from .serializers import EvidenceExportSerializer, ExportRequestSerializer

if TYPE_CHECKING:
    from django.http import HttpResponseBase
    from rest_framework.request import Request

VIEW = ["evidence.view_evidenceexport"]
ACTION_PERMISSIONS = {
    "list": VIEW,
    "retrieve": VIEW,
    "download": VIEW,
    "metadata": VIEW,
    "create": ["evidence.add_evidenceexport"],
}


class EvidenceSchema(ProductAutoSchema):
    def get_tags(self) -> list[str]:
        return [str(_("Evidence bundles"))]


class EvidenceExportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Signed evidence bundles: export one (the case goes on legal hold), list, download."""

    queryset = EvidenceExport.objects.select_related("exported_by")
    serializer_class = EvidenceExportSerializer
    filterset_fields = ["subject_type", "subject_id"]
    lookup_value_regex = r"\d+"
    schema = EvidenceSchema()

    @property
    def required_permissions(self) -> dict:
        perms = ACTION_PERMISSIONS.get(self.action or "")
        return {"*": perms} if perms else {}

    @extend_schema(request=ExportRequestSerializer, responses={201: EvidenceExportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        wanted = ExportRequestSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        subject = load_subject(wanted.validated_data["subject_type"], wanted.validated_data["subject_id"])
        export = export_bundle(subject, by=request.user)
        body = EvidenceExportSerializer(export, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(description="the bundle")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        return send_bundle(self.get_object())
