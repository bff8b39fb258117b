from __future__ import annotations

import django_filters

from .models import OccupancyChange, VehicleEvent, Zone


class ZoneFilterSet(django_filters.FilterSet):
    floor_id = django_filters.NumberFilter(field_name="floor")
    camera_id = django_filters.CharFilter(field_name="camera__code", lookup_expr="iexact")
    kind = django_filters.MultipleChoiceFilter(choices=Zone.Kind.choices)

    class Meta:
        model = Zone
        fields = ["floor_id", "camera_id", "kind", "configured", "is_active"]


class OccupancyChangeFilterSet(django_filters.FilterSet):
    zone_id = django_filters.NumberFilter(field_name="zone")
    floor_id = django_filters.NumberFilter(field_name="floor")
    cause = django_filters.MultipleChoiceFilter(choices=OccupancyChange.Cause.choices)
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = OccupancyChange
        fields = ["zone_id", "floor_id", "cause", "since", "until"]


class VehicleEventFilterSet(django_filters.FilterSet):
    floor_id = django_filters.NumberFilter(field_name="floor")
    direction = django_filters.ChoiceFilter(choices=VehicleEvent.Direction.choices)
    vehicle_type = django_filters.MultipleChoiceFilter(choices=VehicleEvent.VehicleType.choices)
    since = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt")

    class Meta:
        model = VehicleEvent
        fields = ["camera_id", "track_id", "floor_id", "direction", "vehicle_type", "since", "until"]
