from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Q

from .choices import Kind, Severity, Status
from .models import CLOSED_STATUSES, Alert, Delivery, NotificationChannel

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import AlertQuerySet


class AlertFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    camera_id = django_filters.NumberFilter(field_name="camera_id")
    camera = django_filters.CharFilter(field_name="camera__code", lookup_expr="iexact")
    zone_id = django_filters.NumberFilter(field_name="zone_id")
    zone = django_filters.CharFilter(field_name="zone__code", lookup_expr="iexact")
    plate = django_filters.CharFilter(lookup_expr="icontains")
    assigned_to_id = django_filters.NumberFilter(field_name="assigned_to_id")
    # Alerts happening in [since, until]: seen after since, first seen before until.
    since = django_filters.IsoDateTimeFilter(field_name="last_seen_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="first_seen_at", lookup_expr="lte")
    active = django_filters.BooleanFilter(method="filter_active")
    is_resolved = django_filters.BooleanFilter(method="filter_resolved")
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Alert
        fields = ["kind", "status", "severity", "camera_id", "zone_id", "plate"]

    def filter_active(self, queryset: AlertQuerySet[Any], name: str, value: Any) -> AlertQuerySet[Any]:
        return queryset.active() if value else queryset.exclude(status__in=["open", "acknowledged"])

    def filter_resolved(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        closed = Q(status__in=CLOSED_STATUSES)
        return queryset.filter(closed) if value else queryset.exclude(closed)

    def filter_search(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(plate__icontains=value)
            | Q(zone__code__icontains=value)
            | Q(zone__name__icontains=value)
            | Q(camera__code__icontains=value)
        )


class DeliveryFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Delivery.Status.choices)
    channel_id = django_filters.NumberFilter(field_name="channel_id")
    alert_id = django_filters.NumberFilter(field_name="alert_id")

    class Meta:
        model = Delivery
        fields = ["status", "channel_id", "alert_id"]


class ChannelFilterSet(django_filters.FilterSet):
    class Meta:
        model = NotificationChannel
        fields = ["kind", "enabled", "disabled_by_failure"]
