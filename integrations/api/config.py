"""/api/v1/config/{cameras,zones,models,sensors}: what installers and edge sensors configure."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from cameras.models import Camera
from integrations.filtersets import (
    AIModelConfigFilterSet,
    CameraConfigFilterSet,
    SensorSettingFilterSet,
    ZoneConfigFilterSet,
)
from integrations.models import AIModelConfig, SensorSetting
from parking.models import Zone

from .serializers import (
    AIModelConfigSerializer,
    CameraConfigSerializer,
    SensorSettingSerializer,
    ZoneConfigSerializer,
)


def documented(tag: str) -> Callable[[Any], Any]:
    return extend_schema_view(**{action: extend_schema(tags=[tag]) for action in (
        "list", "retrieve", "create", "update", "partial_update", "destroy")})


@documented("Configuration: cameras")
class CameraConfigViewSet(viewsets.ModelViewSet):
    queryset = Camera.objects.prefetch_related("zones")
    serializer_class = CameraConfigSerializer
    filterset_class = CameraConfigFilterSet
    lookup_value_regex = r"\d+"


@documented("Configuration: zones")
class ZoneConfigViewSet(viewsets.ModelViewSet):
    queryset = Zone.objects.select_related("camera")
    serializer_class = ZoneConfigSerializer
    filterset_class = ZoneConfigFilterSet
    lookup_value_regex = r"\d+"


@documented("Configuration: AI models")
class AIModelConfigViewSet(viewsets.ModelViewSet):
    queryset = AIModelConfig.objects.all()
    serializer_class = AIModelConfigSerializer
    filterset_class = AIModelConfigFilterSet
    lookup_value_regex = r"\d+"


@documented("Configuration: sensors")
class SensorSettingViewSet(viewsets.ModelViewSet):
    queryset = SensorSetting.objects.select_related("camera")
    serializer_class = SensorSettingSerializer
    filterset_class = SensorSettingFilterSet
    lookup_value_regex = r"\d+"
