from __future__ import annotations

from rest_framework import viewsets

from cameras.filtersets import CameraEventFilterSet
from cameras.models import CameraEvent

from .serializers import CameraEventSerializer


class CameraEventViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /api/v1/events — the raw event log, newest first."""

    queryset = CameraEvent.objects.select_related("camera").prefetch_related("pictures")
    serializer_class = CameraEventSerializer
    filterset_class = CameraEventFilterSet
    lookup_value_regex = r"\d+"
