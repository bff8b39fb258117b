"""Rule backtests over the API: POST a draft rule to start one, GET it for progress and results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alerts.backtest_forms import BacktestForm
from alerts.models import BacktestRun

if TYPE_CHECKING:
    from rest_framework.request import Request

DRAFT_EXAMPLE = OpenApiExample(
    "A zone made staff-only", value={"rule": "zone", "zone": 3, "days": 30, "kind": "staff_only"}
)


class BacktestRunSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    zone_code = serializers.CharField(source="zone.code", read_only=True, default=None)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = BacktestRun
        fields = [
            "id",
            "rule",
            "zone",
            "zone_code",
            "days",
            "params",
            "status",
            "progress_done",
            "progress_total",
            "percent",
            "results",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class BacktestViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Starting needs alerts.add_backtestrun (administrators: those who change zones and rules);
    reading needs alerts.view_backtestrun."""

    queryset = BacktestRun.objects.select_related("zone", "requested_by")
    serializer_class = BacktestRunSerializer
    lookup_value_regex = r"\d+"

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: BacktestRunSerializer},
        examples=[DRAFT_EXAMPLE],
        description="rule (zone, capacity, overstay), zone (id), days (1-90, 30), and the "
        "settings the draft changes: kind, counted_targets, line_is_violation, "
        "active_from, active_until, cooldown_seconds, capacity, threshold (%), "
        "overstay_minutes.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = BacktestForm(data=request.data)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): [
                        error["message"] for error in messages
                    ]
                    for name, messages in errors.items()
                }
            )
        run = form.start(request.user)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)
