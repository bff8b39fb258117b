from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from anpr import figures, plates
from anpr.filtersets import GatePassageFilterSet, VehicleFilterSet, VisitFilterSet
from anpr.models import GatePassage, Vehicle, Visit
from anpr.services import identify, today
from cameras.models import CameraEvent

from .pagination import CappedCountPagination
from .renderers import SeriesCSVRenderer
from .serializers import GatePassageSerializer, VehicleSerializer, VisitSerializer

if TYPE_CHECKING:
    from django.http import HttpResponseBase
    from rest_framework.request import Request

DATE_PARAM = OpenApiParameter("target_date", str, description="YYYY-MM-DD, facility day; default today")


DURATIONS: dict[str, serializers.Field] = {
    "visits": serializers.IntegerField(),
    "avg_parking_seconds": serializers.IntegerField(),
    "avg_parking_minutes": serializers.FloatField(),
    "median_parking_seconds": serializers.IntegerField(),
    "median_parking_minutes": serializers.FloatField(),
}
COUNTS: dict[str, serializers.Field] = {
    "entries": serializers.IntegerField(),
    "exits": serializers.IntegerField(),
}
TODAY = inline_serializer(
    "TodayCount", {"date": serializers.DateField(), **COUNTS, "currently_parked": serializers.IntegerField()}
)
PARKING_TIME = inline_serializer("ParkingTime", {"date": serializers.DateField(), **DURATIONS})
DAILY = inline_serializer(
    "DailyStats",
    {"date": serializers.DateField(), "total_vehicles": serializers.IntegerField(), **COUNTS, **DURATIONS},
)
RANGE = inline_serializer(
    "RangeStats",
    {
        "date_from": serializers.DateField(),
        "date_to": serializers.DateField(),
        "days": inline_serializer(
            "RangeDay",
            {"date": serializers.DateField(), **COUNTS, **DURATIONS, "by_category": serializers.DictField()},
            many=True,
        ),
    },
)
LOOKUP = inline_serializer(
    "PlateLookup",
    {
        "plate": serializers.CharField(),
        "canonical_plate": serializers.CharField(),
        "plate_display": serializers.CharField(),
        "plate_arabic": serializers.CharField(),
        "match": serializers.CharField(),
        "status": serializers.CharField(),
        "registered": serializers.BooleanField(),
        "owner": serializers.CharField(required=False),
        "type": serializers.CharField(required=False),
        "list": serializers.CharField(required=False),
        "valid_today": serializers.BooleanField(required=False),
        "vehicle": VehicleSerializer(required=False),
    },
)


def parse_day(text: str | None, name: str, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({name: _("Use a date as YYYY-MM-DD.")})


class VehicleViewSet(viewsets.ModelViewSet):
    """GET/POST /api/v1/vehicles, GET/PUT/PATCH/DELETE /api/v1/vehicles/{plate} (either script)."""

    queryset = Vehicle.objects.all()
    serializer_class = VehicleSerializer
    filterset_class = VehicleFilterSet
    lookup_field = "plate"
    lookup_value_regex = r"[^/]+"

    def get_object(self) -> object:
        plate = plates.canonical_plate(self.kwargs["plate"])
        vehicle = get_object_or_404(self.get_queryset(), plate=plate)
        self.check_object_permissions(self.request, vehicle)
        return vehicle

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The seed registers with query parameters; a JSON or form body works too.
        body = request.data.dict() if hasattr(request.data, "dict") else request.data
        if not isinstance(body, dict):
            raise ValidationError({"detail": _("Send one vehicle as an object.")})
        data = {**request.query_params.dict(), **body}
        serializer = self.get_serializer(data=data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response({"status": "registered", **serializer.data}, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": _("Send one vehicle as an object.")})
        return super().update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        vehicle = self.get_object()
        plate = vehicle.plate
        vehicle.delete()
        return Response({"status": "removed", "plate": plate})


class VehicleLookupView(APIView):
    """GET /api/v1/vehicles/lookup/{plate}: is this car ours? Tolerates one misread character."""

    required_permissions = {"GET": ["anpr.view_vehicle"]}

    @extend_schema(responses=LOOKUP)
    def get(self, request: Request, plate: str) -> Response:
        canonical = plates.canonical_plate(plate)
        identity = identify(canonical)
        vehicle = identity.vehicle
        answer = {
            "plate": plate,
            "canonical_plate": canonical,
            "plate_display": plates.latin_display(canonical) if canonical else "",
            "plate_arabic": plates.arabic_display(canonical),
            "match": identity.match,
        }
        if vehicle is None:
            return Response({**answer, "status": "unknown", "registered": False})
        return Response(
            {
                **answer,
                "status": "known" if identity.match == "exact" else "probable",
                "registered": True,
                "owner": vehicle.owner_name,
                "type": vehicle.category,
                "list": vehicle.list,
                "valid_today": vehicle.is_valid_on(today()),
                "vehicle": VehicleSerializer(vehicle).data,
            }
        )


class GatePassageViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /api/v1/entry-exit: gate passages, newest first (seed 8.2)."""

    # The event only for its pictures: its raw body stays in the database.
    queryset = GatePassage.objects.select_related(
        "camera", "vehicle", "visit_exited", "visit_entered"
    ).prefetch_related(Prefetch("event", CameraEvent.objects.only("id")), "event__pictures")
    serializer_class = GatePassageSerializer
    filterset_class = GatePassageFilterSet
    pagination_class = CappedCountPagination
    lookup_value_regex = r"\d+"


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /api/v1/visits: entry-to-exit visits, orphan exits and stale visits."""

    queryset = Visit.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    pagination_class = CappedCountPagination
    lookup_value_regex = r"\d+"


class TodayCountView(APIView):
    """GET /api/v1/entry-exit/count/today: entries, exits and vehicles inside today."""

    required_permissions = {"GET": ["anpr.view_gatepassage"]}

    @extend_schema(responses=TODAY)
    def get(self, request: Request) -> Response:
        day = today()
        return Response(
            {
                "date": day.isoformat(),
                **figures.gate_counts(day),
                "currently_parked": figures.currently_parked(),
            }
        )


class ParkingTimeView(APIView):
    """GET /api/v1/stats/parking-time?target_date=: average and median parking time."""

    required_permissions = {"GET": ["anpr.view_visit"]}

    @extend_schema(parameters=[DATE_PARAM], responses=PARKING_TIME)
    def get(self, request: Request) -> Response:
        day = parse_day(request.query_params.get("target_date"), "target_date", today())
        return Response({"date": day.isoformat(), **figures.parking_time(day).as_dict()})


class DailyStatsView(APIView):
    """GET /api/v1/stats/daily?target_date=: vehicles in and out and parking time of a day."""

    required_permissions = {"GET": ["anpr.view_visit"]}

    @extend_schema(parameters=[DATE_PARAM], responses=DAILY)
    def get(self, request: Request) -> Response:
        day = parse_day(request.query_params.get("target_date"), "target_date", today())
        return Response(figures.daily(day))


class RangeStatsView(APIView):
    """GET /api/v1/stats/range?date_from=&date_to=[&format=csv]: a per-day series for charts."""

    required_permissions = {"GET": ["anpr.view_visit"]}
    renderer_classes = [JSONRenderer, SeriesCSVRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("date_from", str), OpenApiParameter("date_to", str)], responses=RANGE
    )
    def get(self, request: Request) -> HttpResponseBase:
        last = parse_day(request.query_params.get("date_to"), "date_to", today())
        first = parse_day(request.query_params.get("date_from"), "date_from", last - timedelta(days=29))
        if first > last:
            raise ValidationError({"date_from": _("Starts after date_to.")})
        if (last - first).days >= settings.ANPR_RANGE_MAX_DAYS:
            raise ValidationError(
                {"date_from": _("At most %(days)d days.") % {"days": settings.ANPR_RANGE_MAX_DAYS}}
            )
        series = figures.series_documents(first, last)
        response = Response({"date_from": first.isoformat(), "date_to": last.isoformat(), "days": series})
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = (
                f'attachment; filename="parking-{first.isoformat()}-{last.isoformat()}.csv"'
            )
        return response
