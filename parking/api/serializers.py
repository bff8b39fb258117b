from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cameras.models import Camera
from parking.models import Floor, OccupancyChange, VehicleEvent, Zone


class ZoneOccupancySerializer(serializers.ModelSerializer):
    """Seed 000's ZoneOccupancyOut, plus what staff need to configure a zone."""

    zone_id = serializers.CharField(source="code", read_only=True)
    camera_id = serializers.CharField(source="camera.code", read_only=True)
    floor_name = serializers.CharField(source="floor.name", default=None, read_only=True)
    max_capacity = serializers.IntegerField(source="capacity", read_only=True)
    occupancy_percent = serializers.FloatField(read_only=True)
    is_full = serializers.BooleanField(read_only=True)
    overflow = serializers.IntegerField(read_only=True)
    last_updated = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Zone
        fields = [
            "id",
            "zone_id",
            "name",
            "camera",
            "camera_id",
            "floor",
            "floor_name",
            "kind",
            "configured",
            "current_count",
            "max_capacity",
            "occupancy_percent",
            "is_full",
            "overflow",
            "last_updated",
        ]
        read_only_fields = fields


_moment = serializers.DateTimeField()  # renders in facility time like the model serializers


def occupancy_row(row: dict) -> dict:
    """A ``Zone.objects.occupancy_rows()`` row in ZoneOccupancySerializer's shape."""
    count, capacity = row["current_count"], row["capacity"]
    return {
        "id": row["id"],
        "zone_id": row["code"],
        "name": row["name"],
        "camera": row["camera_id"],
        "camera_id": row["camera_code"],
        "floor": row["floor_id"],
        "floor_name": row["floor_name"],
        "kind": row["kind"],
        "configured": row["configured"],
        "current_count": count,
        "max_capacity": capacity,
        "occupancy_percent": round(count / capacity * 100, 1) if capacity else None,
        "is_full": bool(capacity) and count >= capacity,
        "overflow": max(0, count - capacity) if capacity else 0,
        "last_updated": _moment.to_representation(row["updated_at"]),
    }


class CapacitySerializer(serializers.Serializer):
    max_capacity = serializers.IntegerField(min_value=0)
    camera_id = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Camera.objects.all(),
        required=False,
        help_text=_("The camera whose region this is: needed only when the zone does not exist yet."),
    )


class CorrectionSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=1000, trim_whitespace=True)


class ResetSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, trim_whitespace=True)


class OccupancyChangeSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", default=None, read_only=True)
    event_type = serializers.CharField(source="camera_event.event_type", default=None, read_only=True)

    class Meta:
        model = OccupancyChange
        fields = [
            "id",
            "created_at",
            "zone",
            "floor",
            "cause",
            "requested",
            "delta",
            "count_after",
            "capacity",
            "over_capacity",
            "camera_event",
            "event_type",
            "vehicle_event",
            "user",
            "reason",
        ]
        read_only_fields = fields


class FloorSerializer(serializers.ModelSerializer):
    """Seed 004's floor, with the figure from its zones or its own events."""

    current_vehicles = serializers.IntegerField(source="occupied", read_only=True)
    available_slots = serializers.IntegerField(source="available", read_only=True)
    overflow = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Vehicles counted beyond the floor's slots: recorded, never shown as negative free slots."
        ),
    )
    occupancy_percentage = serializers.SerializerMethodField()
    is_full = serializers.SerializerMethodField()

    class Meta:
        model = Floor
        fields = [
            "id",
            "name",
            "description",
            "level",
            "total_slots",
            "current_vehicles",
            "available_slots",
            "overflow",
            "occupancy_percentage",
            "is_full",
            "count_source",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_occupancy_percentage(self, floor: Floor) -> float | None:
        if not floor.total_slots:
            return None
        return round(floor.occupied / floor.total_slots * 100, 1)

    def get_is_full(self, floor: Floor) -> bool:
        return floor.available <= 0


class VehicleEventSerializer(serializers.ModelSerializer):
    floor_id = serializers.PrimaryKeyRelatedField(source="floor", queryset=Floor.objects.all())
    confidence = serializers.FloatField(min_value=0.0, max_value=1.0)
    timestamp = serializers.DateTimeField(required=False)

    class Meta:
        model = VehicleEvent
        fields = [
            "id",
            "camera_id",
            "floor_id",
            "track_id",
            "vehicle_type",
            "direction",
            "confidence",
            "timestamp",
            "counted",
            "uncounted_reason",
            "created_at",
        ]
        read_only_fields = ["counted", "uncounted_reason", "created_at"]
        # Idempotency is handled by returning the stored row, not by a 400.
        validators: list = []

    def validate_floor_id(self, floor: Floor) -> Floor:
        if not floor.is_active:
            raise serializers.ValidationError(_("This floor is not active."))
        return floor


class StatisticsQuerySerializer(serializers.Serializer):
    hours = serializers.IntegerField(min_value=1, max_value=24 * 366, default=24)


class HistoryQuerySerializer(serializers.Serializer):
    zone_id = serializers.IntegerField(required=False)
    floor_id = serializers.IntegerField(required=False)
    hours = serializers.IntegerField(min_value=1, max_value=24 * 92, default=24)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("zone_id") and attrs.get("floor_id"):
            raise serializers.ValidationError(_("Give zone_id or floor_id, not both."))
        return attrs


class HistoryPointSerializer(serializers.Serializer):
    taken_at = serializers.DateTimeField()
    count = serializers.IntegerField()
    capacity = serializers.IntegerField(allow_null=True)
    occupancy_percent = serializers.FloatField(allow_null=True)


class HistorySerializer(serializers.Serializer):
    zone_id = serializers.IntegerField(allow_null=True)
    floor_id = serializers.IntegerField(allow_null=True)
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    interval_seconds = serializers.IntegerField()
    points = HistoryPointSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    hours = serializers.IntegerField()
    since = serializers.DateTimeField()
    total_events = serializers.IntegerField()
    entries = serializers.IntegerField()
    exits = serializers.IntegerField()
    by_vehicle_type = serializers.DictField(child=serializers.IntegerField())
    by_floor = serializers.DictField(child=serializers.IntegerField())
