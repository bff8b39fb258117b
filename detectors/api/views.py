"""The /api/model endpoints of seed 003, in its ``{status, message, data}`` envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from damanat import login_throttle

from .. import services
from ..auth import (
    ACCOUNT_DISABLED,
    IP_MISMATCH,
    DetectorTokenAuthentication,
    IsDetector,
    ip_allowed,
    request_ip,
)
from ..models import Detector
from .envelope import envelope_exception_handler, fail, ok
from .schema import CAMERA, CRIME, ERROR, LOGIN, documented
from .serializers import (
    AlertStopSerializer,
    CrimeSerializer,
    DetectorAlertSerializer,
    HeartbeatSerializer,
    LoginSerializer,
)

if TYPE_CHECKING:
    from rest_framework import serializers
    from rest_framework.request import Request
    from rest_framework.response import Response

INVALID_CREDENTIALS = "Invalid credentials"
TOO_MANY_ATTEMPTS = "Too many login attempts. Please try again in %d seconds."


class DetectorAPIView(APIView):
    authentication_classes = [DetectorTokenAuthentication]
    permission_classes = [IsDetector]

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return envelope_exception_handler

    @property
    def detector(self) -> Detector:
        return self.request.auth.detector

    def validated(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, context={"detector": getattr(self.request.auth, "detector", None)}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class LoginView(DetectorAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @documented(LoginSerializer, 200, LOGIN, "DetectorLoginResponse", {429: ERROR})
    def post(self, request: Request) -> Response:
        email = str(request.data.get("email", "")).strip().lower() if hasattr(request.data, "get") else ""
        if login_throttle.is_locked(request, email):
            window = login_throttle.lockout_seconds(request)
            return fail(
                TOO_MANY_ATTEMPTS % window,
                status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(window)},
            )
        data = self.validated(LoginSerializer)
        # The address before the password: from anywhere else the answer tells nothing about it.
        if not Detector.objects.allowed_from(request_ip(request)).exists():
            return self.refused(email, IP_MISMATCH, status.HTTP_403_FORBIDDEN)
        detector = Detector.authenticate(data["email"], data["password"])
        if detector is None:
            return self.refused(email, INVALID_CREDENTIALS, status.HTTP_401_UNAUTHORIZED)
        if not ip_allowed(detector, request):
            return self.refused(email, IP_MISMATCH, status.HTTP_403_FORBIDDEN)
        if not detector.enabled:
            return fail(str(ACCOUNT_DISABLED), status.HTTP_403_FORBIDDEN)
        login_throttle.record_success(request, email)
        return ok(
            "Login successful",
            {
                "token": detector.issue_token(),
                "model": {
                    "id": detector.pk,
                    "name": detector.name,
                    "email": detector.email,
                    "ip_address": detector.allowed_ip,
                },
            },
        )

    def refused(self, email: str, message: str, code: int) -> Response:
        login_throttle.record_failure(self.request, email, sender=type(self))
        return fail(message, code)


class CamerasView(DetectorAPIView):
    @documented(None, 200, CAMERA, "DetectorCamerasResponse")
    def get(self, request: Request) -> Response:
        cameras = self.detector.assigned_cameras()
        return ok("Cameras retrieved", [services.camera_listing(c) for c in cameras])


class HeartbeatView(DetectorAPIView):
    @documented(HeartbeatSerializer, 200, None, "DetectorHeartbeatResponse")
    def post(self, request: Request) -> Response:
        data = self.validated(HeartbeatSerializer)
        beat = services.record_heartbeat(self.detector, data["camera_ids"])
        return ok("Heartbeat received", {"camera_ids": beat.accepted, "ignored_camera_ids": beat.ignored})


class AlertView(DetectorAPIView):
    @documented(DetectorAlertSerializer, 200, None, "DetectorAlertResponse")
    def post(self, request: Request) -> Response:
        data = self.validated(DetectorAlertSerializer)
        alert = services.report_suspicious(
            self.detector, data["camera_id"], data["confidence_score"], data["alert_type"]
        )
        return ok("Alert received", {"alert_id": alert.pk, "severity": alert.severity})


class AlertStopView(DetectorAPIView):
    @documented(AlertStopSerializer, 200, None, "DetectorAlertStopResponse")
    def post(self, request: Request) -> Response:
        data = self.validated(AlertStopSerializer)
        closed = services.stop_suspicious(self.detector, data["camera_id"])
        return ok("Alert stopped", {"closed_alerts": closed})


class CrimeView(DetectorAPIView):
    @documented(CrimeSerializer, 201, CRIME, "DetectorCrimeResponse")
    def post(self, request: Request) -> Response:
        data = self.validated(CrimeSerializer)
        report = services.report_crime(
            self.detector,
            data["camera_id"],
            crime_type=data["crime_type"],
            confidence_score=data["confidence_score"],
            start_time=data["start_time"],
            end_time=data["end_time"],
        )
        return ok(
            "Crime reported successfully",
            {"crime_id": report.pk, "status": report.status, "severity": report.severity},
            code=status.HTTP_201_CREATED,
        )
