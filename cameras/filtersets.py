from __future__ import annotations

import django_filters

from .models import Camera, CameraEvent


class CameraEventFilterSet(django_filters.FilterSet):
    camera_id = django_filters.ModelChoiceFilter(queryset=Camera.objects.all(), field_name="camera")
    camera = django_filters.CharFilter(field_name="camera__code", lookup_expr="iexact")
    event_type = django_filters.CharFilter(lookup_expr="iexact")
    status = django_filters.MultipleChoiceFilter(choices=CameraEvent.Status.choices)
    plate = django_filters.CharFilter(lookup_expr="icontains")
    since = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = CameraEvent
        fields = ["camera_id", "camera", "event_type", "status", "plate", "region_id"]
