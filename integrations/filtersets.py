from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Q

from cameras.models import Camera
from parking.models import Zone

from .models import AIModelConfig, Exporter, ExportRecord, SensorSetting

if TYPE_CHECKING:
    from django.db.models import QuerySet


class CameraConfigFilterSet(django_filters.FilterSet):
    role = django_filters.MultipleChoiceFilter(choices=Camera.Role.choices)
    enabled = django_filters.BooleanFilter()
    approval = django_filters.ChoiceFilter(choices=Camera.Approval.choices)
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Camera
        fields = ["role", "enabled", "approval", "phase"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name__icontains=value)
            | Q(ip_address__icontains=value)
            | Q(location__icontains=value)
        )


class ZoneConfigFilterSet(django_filters.FilterSet):
    camera_id = django_filters.NumberFilter(field_name="camera_id")
    camera = django_filters.CharFilter(field_name="camera__code", lookup_expr="iexact")
    floor_id = django_filters.NumberFilter(field_name="floor_id")
    kind = django_filters.MultipleChoiceFilter(choices=Zone.Kind.choices)
    has_geometry = django_filters.BooleanFilter(field_name="geometry", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Zone
        fields = ["camera_id", "camera", "floor_id", "kind", "is_active", "configured"]


class AIModelConfigFilterSet(django_filters.FilterSet):
    model_type = django_filters.MultipleChoiceFilter(choices=AIModelConfig.ModelType.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = AIModelConfig
        fields = ["model_type", "name", "enabled"]


class SensorSettingFilterSet(django_filters.FilterSet):
    camera_id = django_filters.NumberFilter(field_name="camera_id")
    camera = django_filters.CharFilter(field_name="camera__code", lookup_expr="iexact")
    zone_id = django_filters.NumberFilter(field_name="zone_id")
    model_id = django_filters.NumberFilter(field_name="model_id")

    class Meta:
        model = SensorSetting
        fields = ["camera_id", "camera", "zone_id", "model_id", "enabled"]


class ExporterFilterSet(django_filters.FilterSet):
    transport = django_filters.MultipleChoiceFilter(choices=Exporter.Transport.choices)

    class Meta:
        model = Exporter
        fields = ["transport", "enabled"]


class ExportRecordFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ExportRecord.Status.choices)

    class Meta:
        model = ExportRecord
        fields = ["status", "kind"]
