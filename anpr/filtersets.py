"""One FilterSet per model; the API and the staff pages share them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Q

from . import plates
from .models import Gate, GatePassage, MisreadReview, PassageCategory, Vehicle, Visit

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import VehicleQuerySet


def _plate(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    """Part of a plate in either script, or the whole plate with one misread character.

    Fragments use the trigram index on PostgreSQL (migration 0004).
    """
    fragment = plates.plate_characters(value)
    if not fragment:
        return queryset.none()
    query = Q(plate__contains=fragment)
    plate = plates.canonical_plate(value)
    if plate:
        query |= Q(plate__in={plate} | plates.probable_variants(plate))
    return queryset.filter(query)


class VehicleFilterSet(django_filters.FilterSet):
    category = django_filters.MultipleChoiceFilter(choices=Vehicle.Category.choices)
    # The seed's name for the category.
    vehicle_type = django_filters.MultipleChoiceFilter(
        field_name="category", choices=Vehicle.Category.choices
    )
    list = django_filters.ChoiceFilter(choices=Vehicle.List.choices)
    plate = django_filters.CharFilter(method=_plate)
    valid_on = django_filters.DateFilter(method="filter_valid_on")
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = Vehicle
        fields = ["category", "vehicle_type", "list", "plate", "employee_id"]

    def filter_valid_on(self, queryset: VehicleQuerySet[Any], name: str, value: Any) -> VehicleQuerySet[Any]:
        return queryset.valid_on(value)

    def filter_search(self, queryset: VehicleQuerySet[Any], name: str, value: Any) -> VehicleQuerySet[Any]:
        return queryset.search(value)


class GatePassageFilterSet(django_filters.FilterSet):
    gate = django_filters.ChoiceFilter(choices=Gate.choices)
    plate = django_filters.CharFilter(method=_plate)
    category = django_filters.MultipleChoiceFilter(choices=PassageCategory.choices)
    vehicle_type = django_filters.MultipleChoiceFilter(field_name="category", choices=PassageCategory.choices)
    camera = django_filters.CharFilter(field_name="camera__code", lookup_expr="iexact")
    since = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")
    date = django_filters.DateFilter(field_name="local_date")
    unread = django_filters.BooleanFilter(method="filter_unread")

    class Meta:
        model = GatePassage
        fields = ["gate", "plate", "category", "camera", "vehicle_id", "match"]

    def filter_unread(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(plate="") if value else queryset.exclude(plate="")


class VisitFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Visit.Status.choices)
    plate = django_filters.CharFilter(method=_plate)
    category = django_filters.MultipleChoiceFilter(choices=PassageCategory.choices)
    entry_date = django_filters.DateFilter()
    exit_date = django_filters.DateFilter()

    class Meta:
        model = Visit
        fields = ["status", "plate", "category", "vehicle_id", "exit_match"]


class MisreadReviewFilterSet(django_filters.FilterSet):
    """Without ``status`` the API lists the inbox: open items still unmatched."""

    status = django_filters.MultipleChoiceFilter(choices=MisreadReview.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Gate.choices)
    camera = django_filters.CharFilter(field_name="passage__camera__code", lookup_expr="iexact")
    plate = django_filters.CharFilter(field_name="passage__plate", method="filter_plate")

    class Meta:
        model = MisreadReview
        fields = ["status", "kind", "camera", "plate"]

    def filter_plate(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        passages = _plate(GatePassage.objects.all(), name, value)
        return queryset.filter(passage__in=passages)
