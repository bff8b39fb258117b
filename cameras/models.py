"""Cameras and the raw event log: every push kept, whatever happens next."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from damanat.bilingual import BilingualName
from damanat.crypto import EncryptedTextField


class CameraQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(enabled=True, approval=Camera.Approval.APPROVED)

    def provisioned(self) -> Self:
        return self.active().exclude(provisioned_at=None)

    def plate_readers(self) -> Self:
        """Gate cameras whose plate lists follow the registry."""
        gates = models.Q(role__in=[Camera.Role.ENTRY_GATE, Camera.Role.EXIT_GATE]) | ~models.Q(gate="")
        return self.active().filter(gates).exclude(plate_list_mode=Camera.PlateListMode.NONE)

    def silent_since(self, moment: datetime) -> Self:
        """Cameras that have sent nothing (event or heartbeat) since ``moment``."""
        return self.active().filter(models.Q(last_seen_at__lt=moment) | models.Q(last_seen_at=None))


class Camera(BilingualName, models.Model):
    class Role(models.TextChoices):
        PERIMETER = "perimeter", _("Outdoor perimeter")
        INDOOR = "indoor", _("Indoor parking")
        CRITICAL_ZONE = "critical_zone", _("Critical zones")
        ENTRY_GATE = "entry_gate", _("Entry gate")
        EXIT_GATE = "exit_gate", _("Exit gate")

    class Gate(models.TextChoices):
        NONE = "", _("Not a gate")
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Approval(models.TextChoices):
        APPROVED = "approved", _("Approved")
        DISCOVERED = "discovered", _("Discovered (not approved)")

    class PushFormat(models.TextChoices):
        XML = "XML", "XML"
        JSON = "JSON", "JSON"

    class PlateListMode(models.TextChoices):
        TRAFFIC = "traffic", _("Device plate lists (allow / block)")
        USERINFO = "userinfo", _("Access-control users (card number = plate)")
        NONE = "none", _("Do not sync plates")

    class Health(models.TextChoices):
        UNKNOWN = "unknown", _("Never checked")
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")
        AUTH_FAILED = "auth_failed", _("Authentication failed")
        TIMEOUT = "timeout", _("Timeout")
        REFUSED = "refused", _("Connection refused")
        ERROR = "error", _("Device error")
        NOT_ALLOWED = "not_allowed", _("Not contacted (outside the allowed networks)")

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.INDOOR)
    gate = models.CharField(
        _("gate direction"), max_length=5, choices=Gate.choices, blank=True, default=Gate.NONE
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    ip_address = models.GenericIPAddressField(_("IP address"), unique=True)
    http_port = models.PositiveIntegerField(_("HTTP port"), default=80)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    mac_address = models.CharField(_("MAC address"), max_length=32, blank=True)
    firmware_version = models.CharField(_("firmware"), max_length=100, blank=True)
    channel = models.PositiveSmallIntegerField(_("channel"), default=1)
    username = models.CharField(_("username"), max_length=100, blank=True, default="admin")
    password = EncryptedTextField(_("password"), blank=True)
    push_username = models.CharField(_("push username"), max_length=100, blank=True)
    push_password = EncryptedTextField(_("push password"), blank=True)
    push_format = models.CharField(
        _("push format"), max_length=4, choices=PushFormat.choices, default=PushFormat.XML
    )
    event_triggers = models.JSONField(_("event triggers"), default=list, blank=True)
    fetch_pictures_by_url = models.BooleanField(_("fetch pictures sent by URL"), default=False)
    # Streaming and location, for detector services and integrations.
    rtsp_port = models.PositiveIntegerField(_("RTSP port"), default=554)
    rtsp_path = models.CharField(
        _("RTSP path"), max_length=200, blank=True, default="/Streaming/Channels/101"
    )
    onvif_port = models.PositiveIntegerField(_("ONVIF port"), default=80)
    fps = models.PositiveSmallIntegerField(_("frames per second"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=20, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    storage_type = models.CharField(_("storage type"), max_length=30, blank=True, default="local")
    police_station_id = models.PositiveIntegerField(_("police station id"), null=True, blank=True)

    enabled = models.BooleanField(_("enabled"), default=True)
    approval = models.CharField(
        _("approval"), max_length=12, choices=Approval.choices, default=Approval.APPROVED
    )
    # Liveness, kept current by the webhook and the health check.
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last event"), null=True, blank=True)
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    heartbeat_count = models.PositiveBigIntegerField(_("heartbeats"), default=0)
    health = models.CharField(_("health"), max_length=12, choices=Health.choices, default=Health.UNKNOWN)
    health_checked_at = models.DateTimeField(_("health checked"), null=True, blank=True)
    push_configured = models.BooleanField(_("push configured"), default=False)
    push_checked_at = models.DateTimeField(_("push checked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Provisioning through ISAPI (configure_cameras, the hourly drift repair, plate sync).
    health_detail = models.CharField(_("health detail"), max_length=300, blank=True)
    unreachable_since = models.DateTimeField(
        _("unreachable since"),
        null=True,
        blank=True,
        help_text=_("First failed health check of the current outage; empty while reachable."),
    )
    provisioned_at = models.DateTimeField(_("provisioned"), null=True, blank=True)
    unsupported_triggers = models.JSONField(
        _("unsupported triggers"),
        default=list,
        blank=True,
        help_text=_("Event triggers the device answered notSupport for; skipped from then on."),
    )
    plate_list_mode = models.CharField(
        _("plate lists"), max_length=10, choices=PlateListMode.choices, default=PlateListMode.TRAFFIC
    )
    plates_synced_at = models.DateTimeField(_("plates synced"), null=True, blank=True)
    plate_sync_error = models.CharField(_("plate sync error"), max_length=300, blank=True)
    plate_sync_note = models.CharField(
        _("last plate sync"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the last plate sync did, e.g. the whole list replaced because the "
            "device cannot search its list."
        ),
    )
    plate_write_form = models.CharField(
        _("plate write form"),
        max_length=8,
        blank=True,
        help_text=_("How this device takes plate-list writes (batch or record); learnt at the first sync."),
    )
    provision_error = models.CharField(
        _("provisioning error"),
        max_length=300,
        blank=True,
        help_text=_("Why the last provisioning run failed; empty when it worked."),
    )
    alarm_until = models.DateTimeField(_("alarm on until"), null=True, blank=True)

    objects = CameraQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        permissions = [
            ("trigger_alarm", _("Can trigger a camera's alarm output")),
            ("provision_camera", _("Can provision cameras and sync their plate lists")),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.ip_address})"

    @property
    def is_gate(self) -> bool:
        return bool(self.gate_direction)

    @property
    def gate_direction(self) -> str:
        """entry/exit from the role first, then the explicit gate setting."""
        if self.role == self.Role.ENTRY_GATE:
            return "entry"
        if self.role == self.Role.EXIT_GATE:
            return "exit"
        return self.gate

    @property
    def is_acting(self) -> bool:
        return self.enabled and self.approval == self.Approval.APPROVED

    def approve(self) -> None:
        self.approval = self.Approval.APPROVED
        self.enabled = True
        self.save(update_fields=["approval", "enabled"])


class CameraEventQuerySet(models.QuerySet):
    def failed(self) -> Self:
        return self.filter(status=CameraEvent.Status.FAILED)

    def accepted(self) -> Self:
        return self.filter(status=CameraEvent.Status.ACCEPTED)

    def queued(self) -> Self:
        return self.filter(status=CameraEvent.Status.QUEUED)


class CameraEvent(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        QUEUED = "queued", _("Stored, waiting for processing")
        DUPLICATE = "duplicate", _("Duplicate")
        IGNORED = "ignored", _("Ignored")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    # Indexed by cameraevent_camera_recv_idx, whose first column it is.
    camera = models.ForeignKey(
        Camera,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("camera"),
        db_index=False,
    )
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    raw_body = models.BinaryField(_("raw body"), blank=True, default=b"")
    body_size = models.PositiveIntegerField(_("body size"), default=0)
    headers = models.JSONField(_("headers"), default=dict, blank=True)

    # No single-column indexes on type or plate: the event list matches them with iexact
    # and icontains, which a btree cannot serve, and every push would pay to maintain them.
    event_type = models.CharField(_("event type"), max_length=64, blank=True)
    event_state = models.CharField(_("state"), max_length=10, blank=True)
    event_description = models.CharField(_("description"), max_length=200, blank=True)
    channel_id = models.PositiveIntegerField(_("channel"), null=True, blank=True)
    channel_name = models.CharField(_("channel name"), max_length=100, blank=True)
    region_id = models.CharField(_("region"), max_length=100, blank=True)
    detection_target = models.CharField(_("detection target"), max_length=20, blank=True)
    trigger_time = models.DateTimeField(_("trigger time"), null=True, blank=True)
    trigger_time_flagged = models.BooleanField(
        _("trigger time replaced"),
        default=False,
        help_text=_("The camera's time was missing, unparseable or absurd; the receive time is used."),
    )
    device_uuid = models.CharField(_("device UUID"), max_length=100, blank=True)
    device_serial = models.CharField(_("device serial"), max_length=100, blank=True)
    device_mac = models.CharField(_("device MAC"), max_length=32, blank=True)
    plate = models.CharField(_("plate"), max_length=32, blank=True)
    original_plate = models.CharField(_("original plate"), max_length=64, blank=True)
    plate_confidence = models.FloatField(_("plate confidence"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=20, blank=True)
    vehicle_type = models.CharField(_("vehicle type"), max_length=30, blank=True)
    vehicle_color = models.CharField(_("vehicle colour"), max_length=30, blank=True)
    plate_list = models.CharField(_("list name"), max_length=30, blank=True)
    extra = models.JSONField(_("other fields"), default=dict, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    reason = models.TextField(_("reason"), blank=True)
    dedup_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    handled_by = models.JSONField(_("handlers done"), default=list, blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    # Events sharing a partition are processed in arrival order (cameras/processing.py).
    partition = models.PositiveSmallIntegerField(_("processing partition"), default=0)

    objects = CameraEventQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("camera event")
        verbose_name_plural = _("camera events")
        constraints = [
            # A re-sent push is stored once: the second insert fails on this key.
            models.UniqueConstraint(fields=["dedup_key"], name="cameraevent_dedup_key_uniq"),
        ]
        indexes = [
            # /api/v1/events filtered by camera, newest first.
            models.Index(fields=["camera", "-received_at"], name="cameraevent_camera_recv_idx"),
            models.Index(fields=["-received_at"], name="cameraevent_received_idx"),
            # Dedup window lookups and per-type statistics.
            models.Index(
                fields=["camera", "event_type", "trigger_time"], name="cameraevent_cam_type_time_idx"
            ),
            # reprocess_events scans only failed rows.
            models.Index(fields=["id"], condition=models.Q(status="failed"), name="cameraevent_failed_idx"),
            # A processor worker takes a partition's oldest queued rows first.
            models.Index(
                fields=["partition", "id"], condition=models.Q(status="queued"), name="cameraevent_queued_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event_type or '?'} {self.status}"

    @property
    def occurred_at(self) -> datetime:
        return self.trigger_time or self.received_at

    @property
    def body_text(self) -> str:
        return bytes(self.raw_body or b"").decode("utf-8", errors="replace")


class EventPicture(models.Model):
    event = models.ForeignKey(
        CameraEvent, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("event")
    )
    name = models.CharField(_("part name"), max_length=200, blank=True)
    image = models.FileField(_("picture"), upload_to="events/%Y/%m/%d/")
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event picture")
        verbose_name_plural = _("event pictures")

    def __str__(self) -> str:
        return self.name or self.image.name


class CameraDrift(models.Model):
    """A push setting found changed on a device by the hourly check, and what was done."""

    camera = models.ForeignKey(
        Camera, on_delete=models.CASCADE, related_name="drifts", verbose_name=_("camera")
    )
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    setting = models.CharField(_("setting"), max_length=100)
    expected = models.CharField(_("expected"), max_length=300, blank=True)
    found = models.CharField(_("found"), max_length=300, blank=True)
    repaired = models.BooleanField(_("repaired"), default=False)
    error = models.CharField(_("repair error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("camera configuration drift")
        verbose_name_plural = _("camera configuration drifts")
        indexes = [
            # The camera admin page lists its latest drifts.
            models.Index(fields=["camera", "-detected_at"], name="cameradrift_camera_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.camera.code}: {self.setting}"
