"""GET /api/model/config — model configurations and sensor settings of the caller's cameras.

Staff and edge services with a user token and ``integrations.view_sensorsetting`` may ask
for any active cameras (``?camera=`` ids or codes, default all).
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.model_config import active_cameras, configuration_for

from .stats import camera_ids


class ModelConfigView(APIView):
    required_permissions = {"GET": ["integrations.view_sensorsetting", "integrations.view_aimodelconfig"]}

    @extend_schema(
        summary="Model configuration and sensor settings for cameras",
        parameters=[OpenApiParameter("camera", str, many=True, description="camera ids or codes")],
        responses={200: OpenApiTypes.OBJECT}, tags=["Configuration: AI models"],
    )
    def get(self, request):
        cameras = active_cameras(camera_ids(request.query_params.getlist("camera")))
        return Response(configuration_for(list(cameras)))
