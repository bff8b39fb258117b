from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from anpr import plates
from anpr.models import GatePassage, Vehicle, Visit

# The seed's field names, accepted on input as aliases of ours.
INPUT_ALIASES = {"plate_number": "plate", "vehicle_type": "category", "name": "owner_name"}


class VehicleSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(max_length=64)
    plate_number = serializers.CharField(source="plate", read_only=True)
    vehicle_type = serializers.CharField(source="category", read_only=True)
    plate_display = serializers.CharField(read_only=True)
    plate_arabic = serializers.CharField(read_only=True)

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "plate",
            "plate_number",
            "plate_display",
            "plate_arabic",
            "owner_name",
            "category",
            "vehicle_type",
            "list",
            "employee_id",
            "valid_from",
            "valid_until",
            "max_stay_minutes",
            "notes",
            "registered_at",
            "updated_at",
        ]
        read_only_fields = ["registered_at", "updated_at"]

    def to_internal_value(self, data: Any) -> str:
        data = {INPUT_ALIASES.get(key, key): value for key, value in data.items()}
        return super().to_internal_value(data)

    def validate_plate(self, value: str) -> str:
        plate = plates.canonical_plate(value)
        if not plate:
            raise serializers.ValidationError(_("%(value)s is not a plate.") % {"value": value})
        existing = Vehicle.objects.filter(plate=plate).exclude(pk=getattr(self.instance, "pk", None))
        owner = existing.values_list("owner_name", flat=True).first()
        if owner is not None:
            raise serializers.ValidationError(
                _("Plate %(plate)s is already registered (%(owner)s); edit that vehicle instead.")
                % {"plate": plates.latin_display(plate), "owner": owner or "-"},
                code="duplicate",
            )
        return plate

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("valid_from", getattr(self.instance, "valid_from", None))
        end = attrs.get("valid_until", getattr(self.instance, "valid_until", None))
        if start and end and end < start:
            raise serializers.ValidationError({"valid_until": _("Ends before it starts.")})
        return attrs


def picture_urls(passage: GatePassage, request: Request | None = None) -> list[str]:
    """The pictures of a passage's first event, absolute when there is a request."""
    if passage.event is None:
        return []
    urls = [picture.image.url for picture in passage.event.pictures.all()]
    return [request.build_absolute_uri(url) for url in urls] if request else urls


class GatePassageSerializer(serializers.ModelSerializer):
    """A row of /entry-exit, with the seed's field names."""

    plate_number = serializers.CharField(source="plate", read_only=True)
    plate_display = serializers.CharField(read_only=True)
    plate_arabic = serializers.CharField(read_only=True)
    vehicle_type = serializers.CharField(source="category", read_only=True)
    owner_name = serializers.CharField(source="vehicle.owner_name", default="", read_only=True)
    camera_id = serializers.CharField(source="camera.code", default=None, read_only=True)
    event_time = serializers.DateTimeField(source="occurred_at", read_only=True)
    unread = serializers.BooleanField(source="is_unread", read_only=True)
    visit_id = serializers.SerializerMethodField()
    matched_entry_id = serializers.SerializerMethodField()
    parking_duration = serializers.SerializerMethodField()
    pictures = serializers.SerializerMethodField()

    class Meta:
        model = GatePassage
        fields = [
            "id",
            "plate_number",
            "plate_display",
            "plate_arabic",
            "raw_plate",
            "unread",
            "vehicle_type",
            "owner_name",
            "match",
            "gate",
            "camera_id",
            "event_time",
            "local_date",
            "reads",
            "confidence",
            "event",
            "visit_id",
            "matched_entry_id",
            "parking_duration",
            "pictures",
        ]
        read_only_fields = fields

    def _visit(self, passage: GatePassage) -> Visit | None:
        for name in ("visit_exited", "visit_entered"):
            visit = getattr(passage, name, None)
            if visit is not None:
                return visit
        return None

    def get_visit_id(self, passage: GatePassage) -> int | None:
        visit = self._visit(passage)
        return visit.pk if visit else None

    def get_matched_entry_id(self, passage: GatePassage) -> int | None:
        visit = getattr(passage, "visit_exited", None)
        return visit.entry_id if visit else None

    def get_parking_duration(self, passage: GatePassage) -> int | None:
        visit = getattr(passage, "visit_exited", None)
        return visit.duration_seconds if visit else None

    def get_pictures(self, passage: GatePassage) -> list[str]:
        return picture_urls(passage, self.context.get("request"))


class VisitSerializer(serializers.ModelSerializer):
    plate_display = serializers.CharField(read_only=True)
    duration_minutes = serializers.FloatField(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "plate",
            "plate_display",
            "vehicle",
            "category",
            "status",
            "entry",
            "exit",
            "entered_at",
            "exited_at",
            "entry_date",
            "exit_date",
            "duration_seconds",
            "duration_minutes",
            "exit_match",
            "closed_at",
            "close_note",
        ]
        read_only_fields = fields
