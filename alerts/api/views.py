"""Alerts API: lists with filters, the lifecycle actions, channels and deliveries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alerts import fanout, scorecard
from alerts.choices import Kind
from alerts.filtersets import AlertFilterSet, ChannelFilterSet, DeliveryFilterSet
from alerts.models import Alert, Delivery, NotificationChannel, TransitionNotAllowed
from alerts.transports import TransportError

from .serializers import (
    ActivitySerializer,
    AlertDetailSerializer,
    AlertSerializer,
    AssignSerializer,
    ChannelSerializer,
    CommentSerializer,
    DeliverySerializer,
    NoteSerializer,
    ResolveSerializer,
    ScorecardQuerySerializer,
)

if TYPE_CHECKING:
    from rest_framework import serializers
    from rest_framework.request import Request

VIEW = ["alerts.view_alert"]
ACTION_PERMISSIONS = {
    "list": VIEW,
    "retrieve": VIEW,
    "history": VIEW,
    "metadata": VIEW,
    "acknowledge": ["alerts.acknowledge_alert"],
    "assign": ["alerts.assign_alert"],
    "comment": ["alerts.comment_alert"],
    "resolve": ["alerts.resolve_alert"],
    "false_positive": ["alerts.resolve_alert"],
    "reopen": ["alerts.resolve_alert"],
    "scorecard": VIEW,
}


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /api/v1/alerts (filters: kind, status, severity, camera, zone, since, until, plate, search)."""

    queryset = Alert.objects.select_related("camera", "zone", "acknowledged_by", "assigned_to", "resolved_by")
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    lookup_value_regex = r"\d+"

    @property
    def required_permissions(self) -> dict:
        perms = ACTION_PERMISSIONS.get(self.action or "")
        return {"*": perms} if perms else {}

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return AlertDetailSerializer if self.action != "list" else AlertSerializer

    @extend_schema(request=NoteSerializer, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        return self._apply(lambda alert, note: alert.acknowledge(by=request.user, note=note))

    @extend_schema(request=ResolveSerializer, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post", "put"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        outcome = _valid(ResolveSerializer, request)["outcome"]
        return self._apply(lambda alert, note: alert.resolve(by=request.user, note=note, outcome=outcome))

    @extend_schema(parameters=[ScorecardQuerySerializer], summary="Alert quality scorecard")
    @action(detail=False, methods=["get"])
    def scorecard(self, request: Request) -> Response:
        query = _valid(ScorecardQuerySerializer, data=request.query_params)
        card = scorecard.scorecard(query.get("since"), query.get("until"))
        return Response(
            {
                "since": card.since,
                "until": card.until,
                **{name: [row.as_dict() for row in rows] for name, rows in card.tables.items()},
                "guards": card.guards,
                "suggestions": card.suggestions,
            }
        )

    @extend_schema(request=NoteSerializer, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"], url_path="false-positive")
    def false_positive(self, request: Request, pk: str | None = None) -> Response:
        return self._apply(lambda alert, note: alert.mark_false_positive(by=request.user, note=note))

    @extend_schema(request=NoteSerializer, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._apply(lambda alert, note: alert.reopen(by=request.user, note=note))

    @extend_schema(request=AssignSerializer, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        data = _valid(AssignSerializer, request)
        return self._apply(lambda alert, _note: alert.assign(data["user_id"], by=request.user))

    @extend_schema(request=CommentSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str | None = None) -> Response:
        data = _valid(CommentSerializer, request)
        entry = self.get_object().comment(data["text"], by=request.user)
        return Response(ActivitySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ActivitySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        entries = self.get_object().history.select_related("user")
        return Response(ActivitySerializer(entries, many=True).data)

    def _apply(self, change: Callable[[Alert, str], object]) -> Response:
        alert = self.get_object()
        note = _valid(NoteSerializer, request=self.request)["note"]
        try:
            change(alert, note)
        except TransitionNotAllowed as exc:
            return Response({"detail": str(exc), "status": alert.status}, status=status.HTTP_409_CONFLICT)
        alert.refresh_from_db()
        return Response(AlertDetailSerializer(alert).data)


def _valid(
    serializer_class: type[serializers.Serializer], request: Request | None = None, data: Any = None
) -> dict:
    serializer = serializer_class(data=request.data if data is None else data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ViolationViewSet(AlertViewSet):
    """GET /api/v1/violations, PUT /api/v1/violations/{id}/resolve (seed UC5)."""

    queryset = AlertViewSet.queryset.filter(kind=Kind.VIOLATION)


class IntrusionViewSet(AlertViewSet):
    """GET /api/v1/intrusions (seed UC6)."""

    queryset = AlertViewSet.queryset.filter(kind=Kind.INTRUSION)


class ChannelViewSet(viewsets.ModelViewSet):
    """Notification channels (webhook, email, MQTT); POST …/test sends a test message now."""

    queryset = NotificationChannel.objects.prefetch_related("zones")
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilterSet
    lookup_value_regex = r"\d+"

    @property
    def required_permissions(self) -> dict | None:
        if self.action in ("test", "enable"):
            return {"*": ["alerts.change_notificationchannel"]}
        return None

    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        try:
            result = fanout.send_test(self.get_object())
        except TransportError as exc:
            # The test ran and tells what the receiver did: not a failure of this server.
            return Response({"ok": False, "error": str(exc), "permanent": exc.permanent})
        return Response(
            {
                "ok": True,
                "status_code": result.status_code,
                "detail": result.detail,
                "duration_ms": result.duration_ms,
            }
        )

    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str | None = None) -> Response:
        channel = self.get_object()
        channel.reenable()
        return Response(self.get_serializer(channel).data)


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """Deliveries of alerts to channels; POST …/replay sends a failed one again."""

    queryset = Delivery.objects.select_related("channel")
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilterSet
    lookup_value_regex = r"\d+"

    @property
    def required_permissions(self) -> dict | None:
        return {"*": ["alerts.replay_delivery"]} if self.action == "replay" else None

    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str | None = None) -> Response:
        delivery = self.get_object()
        if not fanout.replay(Delivery.objects.filter(pk=delivery.pk)):
            raise ValidationError({"status": "only failed deliveries can be replayed"})
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data)
