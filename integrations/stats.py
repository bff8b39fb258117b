"""Event statistics over a time range: counts by camera, type, status and hour, plate-read figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncHour

from cameras.choices import EventType
from cameras.models import CameraEvent

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cameras.models import CameraEvent

PLATE_READ_TYPES = Q(event_type__in=EventType.PLATE_READS)


@dataclass
class StatsRange:
    since: datetime
    until: datetime
    camera_ids: list[int] | None = None

    @property
    def hours(self) -> float:
        return max((self.until - self.since).total_seconds() / 3600, 1 / 60)


def events_in(period: StatsRange) -> QuerySet[CameraEvent]:
    events = CameraEvent.objects.filter(received_at__gte=period.since, received_at__lt=period.until)
    if period.camera_ids is not None:
        events = events.filter(camera_id__in=period.camera_ids)
    return events


def event_stats(period: StatsRange) -> dict:
    events = events_in(period)
    return {
        "since": period.since,
        "until": period.until,
        "total_events": events.count(),
        "by_camera": by_camera(events),
        "by_type": list(events.values("event_type").annotate(count=Count("id")).order_by("-count")),
        "by_status": dict(events.values_list("status").annotate(count=Count("id")).order_by()),
        "by_hour": by_hour(events),
        "plate_reads": plate_read_figures(events.filter(PLATE_READ_TYPES), period),
    }


def by_camera(events: QuerySet[CameraEvent]) -> list[dict]:
    rows = (
        events.values("camera_id", "camera__code")
        .annotate(count=Count("id"), plate_reads=Count("id", filter=PLATE_READ_TYPES))
        .order_by("-count")
    )
    return [
        {
            "camera_id": row["camera_id"],
            "camera": row["camera__code"] or "",
            "count": row["count"],
            "plate_reads": row["plate_reads"],
        }
        for row in rows
    ]


def by_hour(events: QuerySet[CameraEvent]) -> list[dict]:
    """Hours in the facility's time zone, as staff read them."""
    zone = ZoneInfo(settings.FACILITY_TIME_ZONE)
    rows = (
        events.annotate(hour=TruncHour("received_at", tzinfo=zone))
        .values("hour")
        .annotate(count=Count("id"), plate_reads=Count("id", filter=PLATE_READ_TYPES))
        .order_by("hour")
    )
    return [
        {
            "hour": row["hour"].astimezone(zone).isoformat(),
            "count": row["count"],
            "plate_reads": row["plate_reads"],
        }
        for row in rows
    ]


def plate_read_figures(reads: QuerySet[CameraEvent], period: StatsRange) -> dict:
    figures = reads.aggregate(
        total=Count("id"), read=Count("id", filter=~Q(plate="")), average_confidence=Avg("plate_confidence")
    )
    total, read = figures["total"], figures["read"]
    average = figures["average_confidence"]
    return {
        "total": total,
        "read": read,
        "unread": total - read,
        "read_rate": round(read / total, 4) if total else None,
        "per_hour": round(total / period.hours, 2),
        "average_confidence": round(average, 2) if average is not None else None,
    }
