"""/api/v1/config/{cameras,zones,models,sensors}: what installers and edge sensors configure."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
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


def config_viewset(
    name: str, tag: str, queryset: QuerySet[Any], serializer_class: type, filterset_class: type
) -> type[viewsets.ModelViewSet]:
    """A configuration endpoint: create, read, update and delete one model by numeric id."""
    viewset = type(
        name,
        (viewsets.ModelViewSet,),
        {
            "__module__": __name__,
            "queryset": queryset,
            "serializer_class": serializer_class,
            "filterset_class": filterset_class,
            "lookup_value_regex": r"\d+",
        },
    )
    return extend_schema_view(
        **{
            action: extend_schema(tags=[tag])
            for action in ("list", "retrieve", "create", "update", "partial_update", "destroy")
        }
    )(viewset)


CameraConfigViewSet = config_viewset(
    "CameraConfigViewSet",
    "Configuration: cameras",
    Camera.objects.prefetch_related("zones"),
    CameraConfigSerializer,
    CameraConfigFilterSet,
)
ZoneConfigViewSet = config_viewset(
    "ZoneConfigViewSet",
    "Configuration: zones",
    Zone.objects.select_related("camera"),
    ZoneConfigSerializer,
    ZoneConfigFilterSet,
)
AIModelConfigViewSet = config_viewset(
    "AIModelConfigViewSet",
    "Configuration: AI models",
    AIModelConfig.objects.all(),
    AIModelConfigSerializer,
    AIModelConfigFilterSet,
)
SensorSettingViewSet = config_viewset(
    "SensorSettingViewSet",
    "Configuration: sensors",
    SensorSetting.objects.select_related("camera"),
    SensorSettingSerializer,
    SensorSettingFilterSet,
)
