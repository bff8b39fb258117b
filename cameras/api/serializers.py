from __future__ import annotations

from rest_framework import serializers

from cameras.models import CameraEvent, EventPicture


class EventPictureSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventPicture
        fields = ["id", "name", "image", "content_type", "size", "sha256"]


class CameraEventSerializer(serializers.ModelSerializer):
    camera_code = serializers.CharField(source="camera.code", default=None, read_only=True)
    pictures = EventPictureSerializer(many=True, read_only=True)

    class Meta:
        model = CameraEvent
        fields = [
            "id",
            "received_at",
            "source_ip",
            "camera",
            "camera_code",
            "content_type",
            "event_type",
            "event_state",
            "event_description",
            "channel_id",
            "channel_name",
            "region_id",
            "detection_target",
            "trigger_time",
            "trigger_time_flagged",
            "device_uuid",
            "device_serial",
            "plate",
            "original_plate",
            "plate_confidence",
            "direction",
            "vehicle_type",
            "vehicle_color",
            "plate_list",
            "extra",
            "status",
            "reason",
            "pictures",
        ]
        read_only_fields = fields
