"""GET /api/v1/events/stats — counts by camera, type and hour; plate-read rate and confidence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cameras.models import Camera
from integrations.stats import StatsRange, event_stats

if TYPE_CHECKING:
    from django.http import QueryDict
    from rest_framework.request import Request

DEFAULT_HOURS = 24
MAX_DAYS = 366


def parse_moment(text: str, name: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise ValidationError({name: _("Use an ISO 8601 date or date-time.")})
        moment = datetime(day.year, day.month, day.day)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.FACILITY_TIME_ZONE))
    return moment


def stats_range(params: QueryDict) -> StatsRange:
    until_text = params.get("until") or params.get("end")
    since_text = params.get("since") or params.get("start")
    until = parse_moment(until_text, "until") if until_text else timezone.now()
    since = parse_moment(since_text, "since") if since_text else until - timedelta(hours=DEFAULT_HOURS)
    if since >= until:
        raise ValidationError({"since": _("The range must start before it ends.")})
    if until - since > timedelta(days=MAX_DAYS):
        raise ValidationError({"since": _("The range may cover at most a year.")})
    return StatsRange(since, until, camera_ids(params.getlist("camera")))


def camera_ids(references: list[str]) -> list[int] | None:
    names = [name for text in references for name in text.split(",") if name.strip()]
    if not names:
        return None
    ids = [int(name) for name in names if name.isdigit()]
    codes = [name.strip() for name in names if not name.isdigit()]
    found = list(Camera.objects.filter(code__in=codes).values_list("pk", flat=True))
    if len(found) != len(set(codes)):
        raise ValidationError({"camera": _("Unknown camera.")})
    return ids + found


class EventStatsView(APIView):
    required_permissions = {"GET": ["cameras.view_cameraevent"]}

    @extend_schema(
        summary="Event statistics over a range",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="default: 24 hours ago"),
            OpenApiParameter("until", OpenApiTypes.DATETIME, description="default: now"),
            OpenApiParameter("camera", str, many=True, description="camera codes or ids"),
        ],
        responses={200: OpenApiTypes.OBJECT},
        tags=["Events"],
    )
    def get(self, request: Request) -> Response:
        return Response(event_stats(stats_range(request.query_params)))
