"""GET /api/v1/anpr/misreads/ (the inbox, with each item's top candidates), POST
/api/v1/anpr/misreads/{id}/resolve {candidate} and /api/v1/anpr/misreads/{id}/dismiss."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from anpr import misreads
from anpr.filtersets import MisreadReviewFilterSet
from anpr.models import GatePassage, MisreadReview

from .serializers import VisitSerializer, picture_urls

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.request import Request


class MisreadPassageSerializer(serializers.ModelSerializer):
    plate_display = serializers.CharField(read_only=True)
    plate_arabic = serializers.CharField(read_only=True)
    camera_id = serializers.CharField(source="camera.code", default=None, read_only=True)
    attributes = serializers.SerializerMethodField()
    pictures = serializers.SerializerMethodField()

    class Meta:
        model = GatePassage
        fields = [
            "id",
            "gate",
            "plate",
            "plate_display",
            "plate_arabic",
            "raw_plate",
            "confidence",
            "camera_id",
            "occurred_at",
            "attributes",
            "pictures",
        ]
        read_only_fields = fields

    def get_attributes(self, passage: GatePassage) -> dict[str, str]:
        return misreads.attributes(passage)

    def get_pictures(self, passage: GatePassage) -> list[str]:
        return picture_urls(passage, self.context.get("request"))


class CandidateSerializer(serializers.Serializer):
    passage = MisreadPassageSerializer()
    distance = serializers.FloatField(help_text="Plate distance weighted by the cameras' confusions")
    score = serializers.FloatField(help_text="Distance plus time apart and attributes; lower is likelier")
    minutes_apart = serializers.IntegerField()


class MisreadReviewSerializer(serializers.ModelSerializer):
    passage = MisreadPassageSerializer(read_only=True)
    candidates = serializers.SerializerMethodField()
    resolved_by = serializers.CharField(source="resolved_by.username", default=None, read_only=True)

    class Meta:
        model = MisreadReview
        fields = [
            "id",
            "kind",
            "status",
            "passage",
            "candidates",
            "match",
            "resolved_by",
            "resolved_at",
            "created_at",
            "note",
        ]
        read_only_fields = fields

    @extend_schema(responses=CandidateSerializer(many=True))
    def get_candidates(self, review: MisreadReview) -> list[dict]:
        found = self.context.get("candidates", {}).get(review.pk, [])
        return CandidateSerializer(found, many=True, context=self.context).data


class InboxPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


RESOLVE = inline_serializer("MisreadResolve", {"candidate": serializers.IntegerField()})
RESOLVED = inline_serializer(
    "MisreadResolved", {"review": MisreadReviewSerializer(), "visit": VisitSerializer()}
)


class MisreadReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """The misread inbox: orphan entries and exits with their top three candidate matches."""

    queryset = MisreadReview.objects.select_related("passage__camera", "resolved_by")
    serializer_class = MisreadReviewSerializer
    filterset_class = MisreadReviewFilterSet
    pagination_class = InboxPagination
    lookup_value_regex = r"\d+"
    # Resolving pairs visits by hand: what pairing in the visits admin needs.
    required_permissions = {"GET": ["anpr.view_misreadreview"], "POST": list(misreads.RESOLVE_PERMISSIONS)}

    def get_queryset(self) -> Any:
        if self.action == "list" and "status" not in self.request.query_params:
            return misreads.inbox().select_related("resolved_by")
        return super().get_queryset().prefetch_related("passage__event__pictures")

    def get_serializer_context(self) -> Any:
        return {**super().get_serializer_context(), "candidates": getattr(self, "_candidates", {})}

    def paginate_queryset(self, queryset: QuerySet[Any]) -> Any:
        page = super().paginate_queryset(queryset)
        self._candidates = misreads.candidates_for([r for r in page if r.status == r.Status.OPEN])
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        review = self.get_object()
        self._candidates = misreads.candidates_for([review]) if review.status == review.Status.OPEN else {}
        return Response(self.get_serializer(review).data)

    @extend_schema(request=RESOLVE, responses=RESOLVED)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        candidate = GatePassage.objects.filter(pk=_candidate_id(request.data)).first()
        if candidate is None:
            raise ValidationError({"candidate": _("No such passage.")})
        try:
            visit = misreads.resolve(review, candidate, by=request.user)
        except misreads.CannotResolve as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        review.refresh_from_db()
        return Response({"review": self.get_serializer(review).data, "visit": VisitSerializer(visit).data})

    @extend_schema(request=None, responses=MisreadReviewSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        if not misreads.dismiss(review, by=request.user):
            return Response({"detail": _("This item was settled already.")}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(review).data)


def _candidate_id(data: Any) -> int:
    try:
        return int(data.get("candidate"))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({"candidate": _("Send the id of the chosen passage.")})
