"""POST /api/camera/alarm — seed 003, option A: a detector (or staff) sounds a camera's alarm.

Callers: staff / integrators with the ``cameras.trigger_alarm`` permission (session or
token), and detector services with their bearer token, for the cameras assigned to
them (seed 003 option A). The camera is named by ``camera`` (code or id) or by ``ip``; its stored ISAPI
credentials are used, so credentials sent in the body (the seed's example sends
them) are ignored and never echoed. ``type`` and ``volume`` are accepted for the
seed's callers: a Hikvision alarm output drives whatever siren / strobe is wired to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from cameras.isapi import errors
from cameras.models import Camera
from cameras.provisioning.alarm import start_alarm, stop_alarm

if TYPE_CHECKING:
    from rest_framework.request import Request


class AlarmRequestSerializer(serializers.Serializer):
    camera = serializers.CharField(required=False, help_text=_("Camera code or id."))
    ip = serializers.IPAddressField(required=False)
    action = serializers.ChoiceField(choices=["start", "stop"])
    duration = serializers.IntegerField(required=False, default=30, min_value=1)
    type = serializers.ChoiceField(choices=["both", "sound", "light"], required=False, default="both")
    volume = serializers.ChoiceField(choices=["low", "medium", "high"], required=False, default="high")

    def validate_duration(self, value: int) -> int:
        if value > settings.CAMERA_ALARM_MAX_SECONDS:
            raise serializers.ValidationError(
                _("at most %(max)d seconds") % {"max": settings.CAMERA_ALARM_MAX_SECONDS}
            )
        return value

    def validate(self, attrs: dict) -> dict:
        if not (attrs.get("camera") or attrs.get("ip")):
            raise serializers.ValidationError(_("name the camera by 'camera' (code or id) or 'ip'"))
        return attrs


def find_camera(data: dict) -> Camera | None:
    cameras = Camera.objects.filter(enabled=True)
    if data.get("camera"):
        key = data["camera"]
        return cameras.filter(code=key).first() or (
            cameras.filter(pk=int(key)).first() if key.isdigit() else None
        )
    return cameras.filter(ip_address=data["ip"]).first()


ALARM_PERMISSION = "cameras.trigger_alarm"
DETECTOR_AUTHENTICATION = "detectors.auth.DetectorTokenAuthentication"


def authentication_classes() -> list:
    """Staff / integrator authentication, plus detector bearer tokens when that app is installed."""
    extra = [import_string(DETECTOR_AUTHENTICATION)] if apps.is_installed("detectors") else []
    return [*extra, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]


def calling_detector(request: Request) -> Any:  # a detectors.Detector: cameras imports no domain app
    return getattr(request.auth, "detector", None)


class CanTriggerAlarm(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if calling_detector(request) is not None:
            return True  # restricted to its assigned cameras in the view
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(ALARM_PERMISSION))


class CameraAlarmView(APIView):
    authentication_classes = authentication_classes()
    permission_classes = [CanTriggerAlarm]

    @extend_schema(
        summary="Start or stop a camera's alarm output",
        request=AlarmRequestSerializer,
        responses={
            200: OpenApiResponse(description="{status, camera, action, until}"),
            404: OpenApiResponse(description="unknown camera"),
            502: OpenApiResponse(description="the camera refused or is unreachable"),
        },
        tags=["Cameras"],
    )
    def post(self, request: Request) -> Response:
        form = AlarmRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        camera = find_camera(form.validated_data)
        detector = calling_detector(request)
        if camera is None or (
            detector is not None and not detector.assigned_cameras().filter(pk=camera.pk).exists()
        ):
            return Response({"detail": _("Unknown camera.")}, status=404)
        try:
            until = self._apply(camera, form.validated_data)
        except errors.ISAPIError as exc:
            return Response(
                {"status": "error", "camera": camera.code, "detail": str(exc), "reason": exc.status_label},
                status=502,
            )
        return Response(
            {
                "status": "ok",
                "camera": camera.code,
                "action": form.validated_data["action"],
                "until": until.isoformat() if until else None,
            }
        )

    def _apply(self, camera: Camera, data: dict) -> datetime | None:
        if data["action"] == "start":
            return start_alarm(camera, data["duration"])
        stop_alarm(camera)
        return None
