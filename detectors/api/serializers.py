"""Request validation for /api/model; messages read like the Laravel backend's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from ..choices import CrimeType

if TYPE_CHECKING:
    from cameras.models import Camera

INVALID_CAMERA = "The selected camera id is invalid."


def _messages(field: str) -> dict:
    label = field.replace("_", " ")
    return {
        "required": f"The {label} field is required.",
        "null": f"The {label} field is required.",
        "blank": f"The {label} field is required.",
        "invalid": f"The {label} field is invalid.",
        "min_value": f"The {label} field must be at least {{min_value}}.",
        "max_value": f"The {label} field must not be greater than {{max_value}}.",
        "invalid_choice": f"The selected {label} is invalid.",
        "not_a_list": f"The {label} field must be an array.",
    }


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, error_messages=_messages("email"))
    password = serializers.CharField(
        max_length=256, trim_whitespace=False, error_messages=_messages("password")
    )


class AssignedCameraField(serializers.IntegerField):
    """A camera id that must be one of the detector's assigned, active cameras."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, error_messages=_messages("camera_id"), **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Camera:
        camera_id = super().run_validation(data)
        camera = self.context["detector"].assigned_cameras().filter(pk=camera_id).first()
        if camera is None:
            raise serializers.ValidationError(INVALID_CAMERA)
        return camera


class ConfidenceField(serializers.FloatField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=100, error_messages=_messages("confidence_score"), **kwargs)


class HeartbeatSerializer(serializers.Serializer):
    camera_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, error_messages=_messages("camera_ids")),
        allow_empty=True,
        max_length=10_000,
        error_messages=_messages("camera_ids"),
    )


class DetectorAlertSerializer(serializers.Serializer):
    camera_id = AssignedCameraField()
    confidence_score = ConfidenceField()
    alert_type = serializers.CharField(
        max_length=50, required=False, default="suspicious", error_messages=_messages("alert_type")
    )


class AlertStopSerializer(serializers.Serializer):
    camera_id = AssignedCameraField()


class CrimeSerializer(serializers.Serializer):
    camera_id = AssignedCameraField()
    crime_type = serializers.ChoiceField(choices=CrimeType.choices, error_messages=_messages("crime_type"))
    confidence_score = ConfidenceField()
    start_time = serializers.DateTimeField(error_messages=_messages("start_time"))
    end_time = serializers.DateTimeField(error_messages=_messages("end_time"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start_time"] > attrs["end_time"]:
            raise serializers.ValidationError(
                {"end_time": "The end time field must be a date after or equal to start time."}
            )
        return attrs
