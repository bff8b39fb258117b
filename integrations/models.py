"""Configuration for edge sensors and detectors, and exporters with their per-event tracking."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alerts.transports import Destination
from damanat.crypto import EncryptedTextField
from damanat.outbox.models import OutboxDestination, OutboxQuerySet, OutboxRow, status_field
from damanat.outbox.retry import RetryPolicy

from .choices import ExportKind, ModelType

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cameras.models import Camera


class AIModelConfig(models.Model):
    ModelType = ModelType

    name = models.CharField(_("name"), max_length=100)
    model_type = models.CharField(
        _("type"), max_length=30, choices=ModelType.choices, default=ModelType.DETECTION
    )
    version = models.CharField(_("version"), max_length=50, default="1.0")
    weights_path = models.CharField(_("weights path"), max_length=500, blank=True)
    parameters = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_('Type-specific settings, e.g. {"threshold": 0.6}.'),
    )
    description = models.TextField(_("description"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "version"]
        verbose_name = _("AI model configuration")
        verbose_name_plural = _("AI model configurations")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="aimodelconfig_name_version_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class SensorSettingQuerySet(models.QuerySet):
    def enabled(self) -> Self:
        return self.filter(enabled=True)

    def for_cameras(self, cameras: Iterable[Camera] | QuerySet[Camera]) -> Self:
        return self.filter(camera__in=cameras)


class SensorSetting(models.Model):
    name = models.CharField(_("name"), max_length=100)
    camera = models.ForeignKey(
        "cameras.Camera", on_delete=models.CASCADE, related_name="sensor_settings", verbose_name=_("camera")
    )
    zone = models.ForeignKey(
        "parking.Zone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sensor_settings",
        verbose_name=_("zone"),
    )
    model = models.ForeignKey(
        AIModelConfig,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sensor_settings",
        verbose_name=_("AI model"),
    )
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SensorSettingQuerySet.as_manager()

    class Meta:
        ordering = ["camera__code", "name"]
        verbose_name = _("sensor setting")
        verbose_name_plural = _("sensor settings")
        constraints = [
            models.UniqueConstraint(fields=["camera", "name"], name="sensorsetting_camera_name_uniq"),
        ]
        indexes = [
            # GET /api/model/config: the enabled settings of a detector's cameras.
            models.Index(fields=["camera", "enabled"], name="sensorsetting_camera_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.camera_id}: {self.name}"

    def clean(self) -> None:
        if self.zone_id and self.camera_id and self.zone.camera_id != self.camera_id:
            raise ValidationError({"zone": _("The zone belongs to another camera.")})


class ExporterQuerySet(models.QuerySet):
    def enabled(self) -> Self:
        return self.filter(enabled=True)


class Exporter(OutboxDestination):
    class Transport(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook (HTTP POST)")
        MQTT = "mqtt", _("MQTT")

    class Auth(models.TextChoices):
        NONE = "none", _("None")
        HMAC = "hmac", _("HMAC-SHA256 signature")
        BEARER = "bearer", _("Bearer token")
        BASIC = "basic", _("Basic (user and password)")

    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, default=Transport.WEBHOOK
    )
    event_kinds = models.JSONField(
        _("event kinds"), default=list, help_text=_("Any of plate_read, passage, visit_closed, alert.")
    )
    url = models.CharField(
        _("URL"), max_length=500, help_text=_("http(s)://… for a webhook, mqtt://host:port for MQTT.")
    )
    topic = models.CharField(_("MQTT topic prefix"), max_length=200, blank=True, default="damanat/export")
    auth = models.CharField(_("authentication"), max_length=10, choices=Auth.choices, default=Auth.NONE)
    secret = EncryptedTextField(_("secret or token"), blank=True, help_text=_("HMAC secret or bearer token."))
    username = models.CharField(_("username"), max_length=100, blank=True)
    password = EncryptedTextField(_("password"), blank=True)
    # Retry policy: quick retries with exponential backoff; after max_attempts the
    # record waits for the outage sweep instead of being dropped.
    max_attempts = models.PositiveSmallIntegerField(_("attempts"), default=5)
    backoff_seconds = models.FloatField(_("backoff (seconds)"), default=2.0)
    max_backoff_seconds = models.PositiveIntegerField(_("longest wait (seconds)"), default=300)
    timeout_seconds = models.FloatField(_("timeout (seconds)"), default=5.0)
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = ExporterQuerySet.as_manager()

    class Meta(OutboxDestination.Meta):
        verbose_name = _("exporter")
        verbose_name_plural = _("exporters")

    def wants(self, kind: str) -> bool:
        return self.enabled and kind in (self.event_kinds or [])

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.save(update_fields=["enabled", "updated_at"])

    def retry_policy(self) -> RetryPolicy:
        """Quick retries, then the sweep keeps trying at the backoff: an export is never dropped."""
        return RetryPolicy(
            max_attempts=self.max_attempts,
            base_delay=self.backoff_seconds,
            max_delay=self.max_backoff_seconds,
            fail_when_exhausted=False,
        )

    def destination(self) -> Destination:
        return Destination(
            url=self.url,
            timeout=self.timeout_seconds,
            topic_prefix=self.topic,
            secret=self.secret if self.auth == self.Auth.HMAC else "",
            bearer_token=self.secret if self.auth == self.Auth.BEARER else "",
            basic_auth=(self.username, self.password) if self.auth == self.Auth.BASIC else None,
            username=self.username,
            password=self.password,
        )


class ExportRecordQuerySet(OutboxQuerySet):
    def due(self, now: datetime) -> Self:
        """Pending, unclaimed (or claimed by a worker that died), whose wait is over."""
        return super().due(now).filter(exporter__enabled=True)

    def claimable(self, now: datetime) -> Self:
        # A quick retry may arrive a little before its due time; the claim alone decides.
        return self.pending().free(now)


class ExportRecord(OutboxRow):
    """One object forwarded (or to forward) by one exporter; unique, so never sent twice."""

    CLAIM_TIMEOUT_SECONDS = 120

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        EXPORTED = "exported", _("Exported")
        FAILED = "failed", _("Failed (receiver refused it)")

    PENDING = CLAIMED = Status.PENDING
    SENT, FAILED, SENT_AT = Status.EXPORTED, Status.FAILED, "exported_at"

    exporter = models.ForeignKey(
        Exporter, on_delete=models.CASCADE, related_name="records", verbose_name=_("exporter")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExportKind.choices)
    object_ref = models.CharField(_("object"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict)
    status = status_field(Status)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        constraints = [
            # No object is exported twice to the same exporter.
            models.UniqueConstraint(
                fields=["exporter", "kind", "object_ref"], name="exportrecord_once_per_exporter"
            ),
        ]
        indexes = [
            # The outage sweep scans only pending rows by due time.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="exportrecord_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exporter_id}:{self.kind}:{self.object_ref} {self.status}"
