"""/api/v1 occupancy, floors and vision-service events (seeds 000 §10/§11.7 and 004)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import ProtectedError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from parking import history, occupancy, vision
from parking.filtersets import OccupancyChangeFilterSet, VehicleEventFilterSet, ZoneFilterSet
from parking.models import Floor, OccupancyChange, VehicleEvent, Zone

from . import serializers as s

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.request import Request
    from rest_framework.serializers import BaseSerializer

    from cameras.models import Camera


def find_zone(zone_id: str) -> Zone:
    """A zone by number (its id) or by region code when that code is unique."""
    zones = Zone.objects.select_related("floor")
    if zone_id.isdigit():
        found = zones.filter(pk=int(zone_id))
    else:
        found = zones.filter(code=zone_id)
    matches = list(found[:2])
    if not matches:
        raise Http404(_("Zone '%(zone)s' not found") % {"zone": zone_id})
    if len(matches) > 1:
        raise ValidationError(
            {"zone_id": _("Several cameras have region '%(zone)s'; use the zone's id.") % {"zone": zone_id}}
        )
    return matches[0]


class OccupancyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /occupancy, GET /occupancy/{zone_id}, PUT .../capacity, PUT .../reset, PUT .../count."""

    queryset = Zone.objects.all()
    serializer_class = s.ZoneOccupancySerializer  # the shape occupancy_row() produces
    filterset_class = ZoneFilterSet
    pagination_class = None
    lookup_url_kwarg = "zone_id"
    lookup_value_regex = r"[^/]+"

    def get_object(self) -> Zone:
        zone = find_zone(self.kwargs["zone_id"])
        self.check_object_permissions(self.request, zone)
        return zone

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.filter_queryset(self.get_queryset()).occupancy_rows()
        return Response([s.occupancy_row(row) for row in rows])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        zone = self.get_object()
        return Response(s.occupancy_row(Zone.objects.filter(pk=zone.pk).occupancy_rows().get()))

    def _require_correct_perm(self) -> None:
        if not self.request.user.has_perm("parking.correct_zone_count"):
            raise PermissionDenied(_("You may not correct zone counts."))

    @extend_schema(
        request=s.CapacitySerializer,
        summary="Set a zone's capacity (an unknown zone is created, as in seed 000)",
    )
    @action(detail=True, methods=["put"])
    def capacity(self, request: Request, zone_id: str | None = None) -> Response:
        body = s.CapacitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        zone, created = self._zone_for_capacity(zone_id, body.validated_data.get("camera_id"))
        zone.capacity, zone.configured = body.validated_data["max_capacity"], True
        zone.save(update_fields=["capacity", "configured", "updated_at"])
        occupancy.check_capacity(zone)
        return Response(
            {
                "zone_id": zone.code,
                "id": zone.pk,
                "max_capacity": zone.capacity,
                "status": "created" if created else "updated",
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _zone_for_capacity(self, zone_id: str, camera: Camera | None) -> tuple[Zone, bool]:
        """The zone named, or a new one on the given camera when the region is unknown."""
        if camera is None:
            try:
                return self.get_object(), False
            except Http404:
                raise ValidationError(
                    {
                        "camera_id": _("Zone '%(zone)s' does not exist yet: give its camera_id to create it.")
                        % {"zone": zone_id}
                    }
                )
        zone = Zone.objects.filter(camera=camera, code=zone_id).first()
        if zone is not None:
            self.check_object_permissions(self.request, zone)
            return zone, False
        if not self.request.user.has_perm("parking.add_zone"):
            raise PermissionDenied(_("You may not create zones."))
        return Zone.objects.create(camera=camera, code=zone_id, name=zone_id, floor=None), True

    @extend_schema(request=s.ResetSerializer, summary="Reset a zone's count to zero (reason recorded)")
    @action(detail=True, methods=["put"])
    def reset(self, request: Request, zone_id: str | None = None) -> Response:
        self._require_correct_perm()
        zone = self.get_object()
        body = s.ResetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        applied = occupancy.correct_zone_count(
            zone, 0, user=request.user, reason=body.validated_data["reason"]
        )
        return Response(
            {
                "zone_id": zone.code,
                "id": zone.pk,
                "current_count": applied.count,
                "ledger_id": applied.change.pk,
                "status": "reset",
            }
        )

    @extend_schema(request=s.CorrectionSerializer, summary="Correct a zone's count (reason recorded)")
    @action(detail=True, methods=["put"])
    def count(self, request: Request, zone_id: str | None = None) -> Response:
        self._require_correct_perm()
        zone = self.get_object()
        body = s.CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        applied = occupancy.correct_zone_count(
            zone, body.validated_data["count"], user=request.user, reason=body.validated_data["reason"]
        )
        return Response(
            {
                "zone_id": zone.code,
                "id": zone.pk,
                "current_count": applied.count,
                "delta": applied.delta,
                "ledger_id": applied.change.pk,
                "status": "corrected",
            }
        )


class OccupancyLedgerViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /occupancy/ledger — every change to a count and its cause."""

    queryset = OccupancyChange.objects.select_related("user", "camera_event")
    serializer_class = s.OccupancyChangeSerializer
    filterset_class = OccupancyChangeFilterSet
    lookup_value_regex = r"\d+"


class OccupancyHistoryView(APIView):
    """GET /occupancy/history — 5-minute snapshots for a zone, a floor, or the facility."""

    serializer_class = s.HistorySerializer
    required_permissions = {"GET": ["parking.view_occupancysnapshot"]}

    @extend_schema(
        parameters=[s.HistoryQuerySerializer],
        responses=s.HistorySerializer,
        summary="Occupancy history for charts",
    )
    def get(self, request: Request) -> Response:
        query = s.HistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        until = q.get("until") or timezone.now()
        since = q.get("since") or until - timedelta(hours=q["hours"])
        zone = find_zone(str(q["zone_id"])) if q.get("zone_id") else None
        floor = _floor_or_404(q["floor_id"]) if q.get("floor_id") else None
        points = history.history(zone=zone, floor=floor, since=since, until=until)
        return Response(
            s.HistorySerializer(
                {
                    "zone_id": getattr(zone, "pk", None),
                    "floor_id": getattr(floor, "pk", None),
                    "since": since,
                    "until": until,
                    "interval_seconds": 300,
                    "points": points,
                }
            ).data
        )


def _floor_or_404(pk: int) -> Floor:
    try:
        return Floor.objects.get(pk=pk)
    except Floor.DoesNotExist:
        raise Http404(_("Floor not found"))


class FloorViewSet(viewsets.ModelViewSet):
    """GET /floors (most available first), /floors/{id}, /floors/recommended; writes need perms."""

    queryset = Floor.objects.by_availability()
    serializer_class = s.FloorSerializer
    pagination_class = None
    lookup_value_regex = r"\d+"
    filterset_fields = ["is_active", "count_source"]

    def get_queryset(self) -> QuerySet[Floor]:
        floors = super().get_queryset()
        if self.action == "list" and "is_active" not in self.request.query_params:
            return floors.active()  # seed 004: the active floors, unless asked otherwise
        return floors

    def perform_create(self, serializer: BaseSerializer) -> None:
        floor = serializer.save()
        serializer.instance = Floor.objects.with_occupancy().get(pk=floor.pk)

    def perform_update(self, serializer: BaseSerializer) -> None:
        self.perform_create(serializer)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().destroy(request, *args, **kwargs)
        except ProtectedError:
            return Response(
                {"detail": _("This floor has vision-service events; deactivate it instead.")},
                status=status.HTTP_409_CONFLICT,
            )

    @action(detail=False)
    def recommended(self, request: Request) -> Response:
        floor = Floor.objects.recommended()
        if floor is None:
            return Response({"detail": _("No floor has a free slot.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(self.get_serializer(floor).data)


class VehicleEventViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """POST/GET /parking/events and GET /parking/events/statistics (seed 004)."""

    queryset = VehicleEvent.objects.select_related("floor")
    serializer_class = s.VehicleEventSerializer
    filterset_class = VehicleEventFilterSet
    lookup_value_regex = r"\d+"

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        event, created = vision.record_vehicle_event(**body.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(event).data, status=code)

    @extend_schema(
        parameters=[s.StatisticsQuerySerializer],
        responses=s.StatisticsSerializer,
        summary="Event statistics, last N hours",
    )
    @action(detail=False)
    def statistics(self, request: Request) -> Response:
        query = s.StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(s.StatisticsSerializer(vision.event_statistics(query.validated_data["hours"])).data)
