"""GET /api/model/config — model configurations and sensor settings of the caller's cameras.

A detector service (seed 003 bearer token) gets those of its assigned cameras, in the seed's
``{status, message, data}`` envelope. Staff and edge services with a user token and the view
permissions on sensor settings and AI models may ask for any active cameras
(``?camera=`` ids or codes, default all).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication, TokenAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from detectors.api.envelope import envelope_exception_handler, ok
from detectors.auth import DetectorTokenAuthentication
from detectors.models import DetectorToken
from integrations.model_config import active_cameras, configuration_for

from .stats import camera_ids

if TYPE_CHECKING:
    from rest_framework.request import Request

    from detectors.models import Detector

STAFF_PERMISSIONS = ("integrations.view_sensorsetting", "integrations.view_aimodelconfig")


def calling_detector(request: Request) -> Detector | None:
    """The detector behind a seed 003 bearer token (it rides on request.auth), else None."""
    return request.auth.detector if isinstance(request.auth, DetectorToken) else None


class DetectorOrStaff(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if calling_detector(request) is not None:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(STAFF_PERMISSIONS))


def is_detector_request(request: Request) -> bool:
    return get_authorization_header(request).lower().startswith(b"bearer ")


class ModelConfigView(APIView):
    authentication_classes = [DetectorTokenAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [DetectorOrStaff]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        if is_detector_request(self.request):
            return envelope_exception_handler
        return super().get_exception_handler()

    @extend_schema(
        summary="Model configuration and sensor settings for cameras",
        parameters=[OpenApiParameter("camera", str, many=True, description="camera ids or codes")],
        responses={200: OpenApiTypes.OBJECT},
        tags=["Configuration: AI models"],
    )
    def get(self, request: Request) -> Response:
        wanted = camera_ids(request.query_params.getlist("camera"))
        detector = calling_detector(request)
        if detector is not None:
            cameras = detector.assigned_cameras()
            if wanted is not None:
                cameras = cameras.filter(pk__in=wanted)
            return ok("Model configuration", configuration_for(list(cameras)))
        return Response(configuration_for(list(active_cameras(wanted))))
