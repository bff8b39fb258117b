"""Alert representations: ours, plus the seed's AlertOut fields (alert_type, camera_id, …)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from alerts.choices import Outcome
from alerts.models import Alert, AlertActivity, Delivery, NotificationChannel


class AlertSerializer(serializers.ModelSerializer):
    # In the request's language (Accept-Language); ``params`` holds the facts they are worded from.
    title = serializers.CharField(source="shown_title", read_only=True)
    description = serializers.CharField(source="shown_description", read_only=True)
    camera_code = serializers.CharField(source="camera.code", read_only=True, default=None)
    zone_code = serializers.CharField(source="zone.code", read_only=True, default=None)
    zone_name = serializers.CharField(source="zone.name", read_only=True, default=None)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # Seed 000 AlertOut.
    alert_type = serializers.CharField(source="kind", read_only=True)
    camera_id = serializers.CharField(source="camera.code", read_only=True, default=None)
    zone_id = serializers.CharField(source="zone.code", read_only=True, default=None)
    is_resolved = serializers.SerializerMethodField()
    triggered_at = serializers.DateTimeField(source="first_seen_at", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "severity",
            "status",
            "title",
            "description",
            "params",
            "camera",
            "camera_code",
            "zone",
            "zone_code",
            "zone_name",
            "plate",
            "source_event",
            "event_type",
            "first_seen_at",
            "last_seen_at",
            "occurrences",
            "acknowledged_by",
            "acknowledged_at",
            "assigned_to",
            "assigned_at",
            "resolved_by",
            "resolved_at",
            "resolution_note",
            "created_at",
            "updated_at",
            "alert_type",
            "camera_id",
            "zone_id",
            "is_resolved",
            "triggered_at",
        ]
        read_only_fields = fields

    def get_is_resolved(self, alert: Alert) -> int:
        return int(alert.is_resolved)


class ActivitySerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AlertActivity
        fields = ["id", "action", "user", "text", "at"]
        read_only_fields = fields


class AlertDetailSerializer(AlertSerializer):
    history = ActivitySerializer(many=True, read_only=True)

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "history"]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ResolveSerializer(NoteSerializer):
    outcome = serializers.ChoiceField(
        choices=[o for o in Outcome.choices if o[0] != Outcome.FALSE_POSITIVE], default=Outcome.TRUE
    )


class ScorecardQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class AssignSerializer(serializers.Serializer):
    user_id = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), allow_null=True
    )


class ChannelSerializer(serializers.ModelSerializer):
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True)
    bearer_token = serializers.CharField(write_only=True, required=False, allow_blank=True)
    mqtt_password = serializers.CharField(write_only=True, required=False, allow_blank=True)
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = NotificationChannel
        fields = [
            "id",
            "name",
            "kind",
            "enabled",
            "alert_kinds",
            "min_severity",
            "zones",
            "url",
            "secret",
            "bearer_token",
            "has_secret",
            "timeout_seconds",
            "recipients",
            "language",
            "mqtt_host",
            "mqtt_port",
            "mqtt_username",
            "mqtt_password",
            "mqtt_topic_prefix",
            "disabled_by_failure",
            "last_error",
            "last_error_at",
            "last_success_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "disabled_by_failure",
            "last_error",
            "last_error_at",
            "last_success_at",
            "created_at",
            "updated_at",
        ]

    def get_has_secret(self, channel: NotificationChannel) -> bool:
        return bool(channel.secret)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        field = NotificationChannel.REQUIRED_BY_KIND.get(kind)
        if field and not attrs.get(field, getattr(self.instance, field, "")):
            raise serializers.ValidationError({field: NotificationChannel.missing_message(kind)})
        return attrs


class DeliverySerializer(serializers.ModelSerializer):
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "alert",
            "channel",
            "channel_name",
            "reason",
            "event_id",
            "status",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
            "last_status_code",
            "created_at",
        ]
        read_only_fields = fields
