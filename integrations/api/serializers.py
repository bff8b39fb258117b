from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cameras.api.serializers import CameraEventSerializer
from cameras.device_limits import push_credential_errors
from cameras.models import Camera
from integrations.geojson import GeometryError, validate_geometry
from integrations.models import AIModelConfig, SensorSetting
from parking.models import Zone

SECRET: dict[str, Any] = {
    "write_only": True,
    "required": False,
    "allow_blank": True,
    "style": {"input_type": "password"},
}


class CameraRefField(serializers.PrimaryKeyRelatedField):
    """A camera by id or by code, so installers can write "CAM-01"."""

    def to_internal_value(self, data: Any) -> Camera:
        if isinstance(data, str) and not data.isdigit():
            camera = Camera.objects.filter(code__iexact=data).first()
            if camera is None:
                self.fail("does_not_exist", pk_value=data)
            return camera
        return super().to_internal_value(data)


class ZoneBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "code", "name", "kind"]


class CameraConfigSerializer(serializers.ModelSerializer):
    rtsp_url = serializers.CharField(
        required=False,
        max_length=500,
        help_text=_(
            "rtsp://host:port/path; credentials in it are stored as the camera's username and password."
        ),
    )
    password = serializers.CharField(**SECRET)
    push_password = serializers.CharField(**SECRET)
    has_password = serializers.SerializerMethodField()
    zones = ZoneBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Camera
        fields = [
            "id",
            "code",
            "name",
            "model",
            "role",
            "gate",
            "phase",
            "ip_address",
            "http_port",
            "channel",
            "rtsp_url",
            "rtsp_port",
            "rtsp_path",
            "onvif_port",
            "fps",
            "resolution",
            "latitude",
            "longitude",
            "location",
            "username",
            "password",
            "has_password",
            "push_username",
            "push_password",
            "push_format",
            "event_triggers",
            "enabled",
            "approval",
            "health",
            "last_seen_at",
            "zones",
            "created_at",
        ]
        read_only_fields = ["health", "last_seen_at", "created_at"]
        extra_kwargs = {"ip_address": {"required": False}}

    def get_has_password(self, camera: Camera) -> bool:
        return bool(camera.password)

    def to_representation(self, camera: Camera) -> dict:
        data = super().to_representation(camera)
        data["rtsp_url"] = f"rtsp://{camera.ip_address}:{camera.rtsp_port}{camera.rtsp_path}"
        return data

    def validate_resolution(self, value: str) -> str:
        width, _sep, height = value.lower().partition("x")
        if value and not (width.isdigit() and height.isdigit()):
            raise serializers.ValidationError(_('Write the resolution as WIDTHxHEIGHT, e.g. "1920x1080".'))
        return value

    def validate_fps(self, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 120:
            raise serializers.ValidationError(_("Frames per second must be between 1 and 120."))
        return value

    def validate(self, attrs: dict) -> dict:
        pushed = {
            name: attrs.get(name, getattr(self.instance, name, "") or "")
            for name in ("push_username", "push_password")
        }
        problems = push_credential_errors(pushed["push_username"], pushed["push_password"])
        if problems:
            raise serializers.ValidationError(problems)
        url = attrs.pop("rtsp_url", None)
        if url:
            attrs = {**rtsp_parts(url), **attrs}
        if self.instance is None and not attrs.get("ip_address"):
            raise serializers.ValidationError(
                {"ip_address": _("Give the camera's IP address or an RTSP URL.")}
            )
        if url and self.address_taken(attrs.get("ip_address")):
            raise serializers.ValidationError({"rtsp_url": _("Another camera has this address.")})
        return attrs

    def address_taken(self, address: str | None) -> bool:
        others = Camera.objects.filter(ip_address=address)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()

    def update(self, camera: Camera, validated: dict) -> Camera:
        # A write-only secret left out of an update keeps its stored value.
        for name in ("password", "push_password"):
            if name not in validated:
                validated[name] = getattr(camera, name)
        return super().update(camera, validated)


def rtsp_parts(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("rtsp", "rtsps") or not parts.hostname:
        raise serializers.ValidationError(
            {"rtsp_url": _("An RTSP URL looks like rtsp://192.168.1.101:554/path.")}
        )
    try:
        port = parts.port
    except ValueError:
        raise serializers.ValidationError({"rtsp_url": _("The RTSP port is not a number.")})
    try:
        address = str(ipaddress.ip_address(parts.hostname))
    except ValueError:
        raise serializers.ValidationError({"rtsp_url": _("The RTSP host must be the camera's IP address.")})
    fields = {"ip_address": address, "rtsp_path": parts.path or "/"}
    if parts.query:
        fields["rtsp_path"] += "?" + parts.query
    if port:
        fields["rtsp_port"] = port
    if parts.username:
        fields["username"] = parts.username
    if parts.password:
        fields["password"] = parts.password
    return fields


class ZoneConfigSerializer(serializers.ModelSerializer):
    camera = CameraRefField(queryset=Camera.objects.all(), help_text=_("Camera id or code."))
    camera_code = serializers.CharField(source="camera.code", read_only=True)

    class Meta:
        model = Zone
        fields = [
            "id",
            "code",
            "name",
            "camera",
            "camera_code",
            "floor",
            "kind",
            "capacity",
            "current_count",
            "configured",
            "counted_targets",
            "line_is_violation",
            "active_from",
            "active_until",
            "geometry",
            "is_active",
            "updated_at",
        ]
        read_only_fields = ["current_count", "updated_at"]

    def validate_geometry(self, value: dict | None) -> dict | None:
        if value is None:
            return value
        try:
            return validate_geometry(value)
        except GeometryError as exc:
            raise serializers.ValidationError(str(exc))

    def validate_counted_targets(self, value: list[str]) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise serializers.ValidationError(_('A list of targets, e.g. ["vehicle", "human"].'))
        return value


class AIModelConfigSerializer(serializers.ModelSerializer):
    class Meta:
        model = AIModelConfig
        fields = [
            "id",
            "name",
            "model_type",
            "version",
            "weights_path",
            "parameters",
            "description",
            "enabled",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_parameters(self, value: dict) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Parameters must be a JSON object."))
        return value


class SensorSettingSerializer(serializers.ModelSerializer):
    camera = CameraRefField(queryset=Camera.objects.all(), help_text=_("Camera id or code."))
    camera_code = serializers.CharField(source="camera.code", read_only=True)

    class Meta:
        model = SensorSetting
        fields = [
            "id",
            "name",
            "camera",
            "camera_code",
            "zone",
            "model",
            "settings",
            "enabled",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_settings(self, value: dict) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Settings must be a JSON object."))
        return value

    def validate(self, attrs: dict) -> dict:
        camera = attrs.get("camera", getattr(self.instance, "camera", None))
        zone = attrs.get("zone", getattr(self.instance, "zone", None))
        if zone is not None and camera is not None and zone.camera_id != camera.pk:
            raise serializers.ValidationError({"zone": _("The zone belongs to another camera.")})
        return attrs


class IngestedEventSerializer(CameraEventSerializer):
    ocr_candidates = serializers.JSONField(source="extra.ocr_candidates", default=list, read_only=True)
    vehicle_make = serializers.CharField(source="extra.vehicle_make", default="", read_only=True)
    tpms = serializers.JSONField(source="extra.tpms", default=None, read_only=True)
    source = serializers.CharField(source="extra.source", default="camera", read_only=True)

    class Meta(CameraEventSerializer.Meta):
        fields = [*CameraEventSerializer.Meta.fields, "ocr_candidates", "vehicle_make", "tpms", "source"]
        read_only_fields = fields
