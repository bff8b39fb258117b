"""Floors and zones: where vehicles are counted and rules apply."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from damanat.bilingual import BilingualName

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cameras.models import Camera


class FloorQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def with_occupancy(self) -> Self:
        """Annotate ``counted`` (from zones or from the floor's own events), ``occupied`` (never
        more than its slots), ``overflow`` (what is counted beyond them) and ``available``."""
        from_zones = Subquery(
            Zone.objects.counting()
            .filter(floor=OuterRef("pk"))
            .order_by()
            .values("floor")
            .annotate(total=Sum("current_count"))
            .values("total")
        )
        whole = models.IntegerField()
        counted = models.Case(
            models.When(count_source=Floor.CountSource.EVENTS, then=F("current_vehicles")),
            default=Coalesce(from_zones, 0),
            output_field=whole,
        )
        slots = Cast("total_slots", whole)
        return (
            self.annotate(counted=counted)
            .annotate(
                occupied=Least(F("counted"), slots, output_field=whole),
                overflow=Greatest(F("counted") - slots, 0, output_field=whole),
            )
            .annotate(available=models.ExpressionWrapper(slots - F("occupied"), output_field=whole))
        )

    def by_availability(self) -> Self:
        return self.with_occupancy().order_by("-available", "level", "name")

    def recommended(self) -> Floor | None:
        """The active floor with the most free slots, or None when every floor is full."""
        return self.active().by_availability().filter(available__gt=0).first()


class Floor(BilingualName, models.Model):
    class CountSource(models.TextChoices):
        ZONES = "zones", _("Sum of its parking zones")
        EVENTS = "events", _("Its own entry/exit events (vision service)")

    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    level = models.SmallIntegerField(_("level"), default=0)
    total_slots = models.PositiveIntegerField(_("total slots"), default=0)
    count_source = models.CharField(
        _("count from"),
        max_length=6,
        choices=CountSource.choices,
        default=CountSource.ZONES,
        help_text=_("Where the floor's figure comes from; never both."),
    )
    current_vehicles = models.IntegerField(
        _("current vehicles"),
        default=0,
        help_text=_("Counted from the floor's own entry/exit events; unused when counting zones."),
    )
    # The delta the last atomic update applied (after clamping at zero), read back for the ledger.
    last_delta = models.IntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FloorQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        # Seed 004 also checks current_vehicles <= total_slots; we record overflow instead
        # of refusing the count, so that constraint is deliberately absent.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(current_vehicles__gte=0), name="floor_current_vehicles_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(total_slots__gte=0), name="floor_total_slots_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["is_active"], name="floor_is_active_idx"),
            models.Index(fields=["updated_at"], name="floor_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def counts_events(self) -> bool:
        return self.count_source == self.CountSource.EVENTS


class ZoneQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def unconfigured(self) -> Self:
        return self.filter(configured=False)

    def occupancy_rows(self) -> QuerySet[Any, dict[str, Any]]:
        """Plain rows for the occupancy API: dashboards poll it, so no model instances."""
        return self.order_by("camera__code", "code").values(
            "id",
            "code",
            "name",
            "camera_id",
            "floor_id",
            "kind",
            "configured",
            "current_count",
            "capacity",
            "updated_at",
            camera_code=F("camera__code"),
            floor_name=F("floor__name"),
        )

    def counting(self) -> Self:
        """Zones whose count makes up their floor's figure."""
        return self.filter(is_active=True, kind=Zone.Kind.PARKING)


class Zone(BilingualName, models.Model):
    class Kind(models.TextChoices):
        PARKING = "parking", _("Parking")
        RESTRICTED = "restricted", _("Restricted")
        NO_PARKING = "no_parking", _("No parking")
        EMERGENCY_EXIT = "emergency_exit", _("Emergency exit")
        STAFF_ONLY = "staff_only", _("Staff only")
        LOADING_BAY = "loading_bay", _("Loading bay")
        AFTER_HOURS = "after_hours", _("After hours")
        DETECTION = "detection", _("Detection")
        EXCLUSION = "exclusion", _("Exclusion")

    code = models.CharField(
        _("region code"), max_length=100, help_text=_("The camera's regionID: a number or a name.")
    )
    name = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    camera = models.ForeignKey(
        "cameras.Camera", on_delete=models.CASCADE, related_name="zones", verbose_name=_("camera")
    )
    floor = models.ForeignKey(
        Floor, on_delete=models.SET_NULL, null=True, blank=True, related_name="zones", verbose_name=_("floor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARKING)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty until staff configure the zone.")
    )
    current_count = models.IntegerField(_("current count"), default=0)
    # The delta the last atomic update applied (after clamping at zero), read back for the ledger.
    last_delta = models.IntegerField(default=0, editable=False)
    full_alert_armed = models.BooleanField(
        _("full alert armed"),
        default=True,
        help_text=_(
            "Cleared when a zone-full alert is raised; set again once the zone drops "
            "the re-arm margin below the threshold."
        ),
    )
    reset_at = models.TimeField(
        _("daily reset at (facility time)"),
        null=True,
        blank=True,
        help_text=_("Optional: the count is set to zero every day at this time."),
    )
    last_reset_at = models.DateTimeField(_("last scheduled reset"), null=True, blank=True, editable=False)
    configured = models.BooleanField(
        _("configured"),
        default=True,
        help_text=_("False for zones created from an unknown region; staff must configure them."),
    )
    counted_targets = models.JSONField(
        _("targets that count"),
        default=list,
        blank=True,
        help_text=_('Detection targets the rules act on, e.g. ["vehicle"].'),
    )
    line_is_violation = models.BooleanField(_("line crossing is a violation"), default=True)
    active_from = models.TimeField(_("active from (facility time)"), null=True, blank=True)
    active_until = models.TimeField(_("active until (facility time)"), null=True, blank=True)
    geometry = models.JSONField(
        _("geometry (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Polygon or MultiPolygon, image coordinates or lon/lat."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["camera__code", "code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            # A zone is matched by camera and region.
            models.UniqueConstraint(fields=["camera", "code"], name="zone_camera_code_uniq"),
            models.CheckConstraint(
                condition=models.Q(current_count__gte=0), name="zone_current_count_not_negative"
            ),
        ]
        indexes = [
            # Floor figures sum the active parking zones of a floor.
            models.Index(fields=["floor", "kind"], name="zone_floor_kind_idx"),
        ]
        permissions = [("correct_zone_count", _("Can correct or reset a zone's count"))]

    def __str__(self) -> str:
        return self.display_name or self.code

    @classmethod
    def for_region(cls, camera: Camera | None, region_id: str) -> Zone | None:
        """The zone for (camera, regionID); an unknown region becomes an unconfigured zone."""
        if camera is None or not region_id:
            return None
        return cls.for_regions([(camera, region_id)])[(camera.pk, region_id)]

    @classmethod
    def for_regions(cls, places: Iterable[tuple[Camera | None, str]]) -> dict[tuple[int, str], Zone]:
        """The zones of many (camera, regionID) pairs in one query, keyed (camera id, regionID);
        unknown regions become unconfigured zones."""
        cameras = {camera.pk: camera for camera, region_id in places if camera and region_id}
        wanted = {(camera.pk, region_id) for camera, region_id in places if camera and region_id}
        if not wanted:
            return {}
        found = cls.objects.filter(camera_id__in=cameras, code__in={code for _, code in wanted}).order_by()
        zones = {(zone.camera_id, zone.code): zone for zone in found}
        for camera_id, code in sorted(wanted - zones.keys()):
            zones[(camera_id, code)] = cls._unconfigured(cameras[camera_id], code)
        for (camera_id, _code), zone in zones.items():
            zone.camera = cameras[camera_id]  # already loaded: spares a query (and a decryption)
        return zones

    @classmethod
    def _unconfigured(cls, camera: Camera, region_id: str) -> Zone:
        try:
            with transaction.atomic():
                return cls.objects.create(
                    camera=camera, code=region_id, name=region_id, configured=False, floor=None
                )
        except IntegrityError:
            return cls.objects.get(camera=camera, code=region_id)

    def targets(self) -> list[str]:
        return [t.lower() for t in self.counted_targets] or ["vehicle"]

    def counts_target(self, target: str) -> bool:
        """A push without a detection target counts: older firmware omits it."""
        return not target or target.lower() in self.targets()

    @property
    def occupancy_percent(self) -> float | None:
        if not self.capacity:
            return None
        return round(self.current_count / self.capacity * 100, 1)

    @property
    def is_full(self) -> bool:
        return bool(self.capacity) and self.current_count >= self.capacity

    @property
    def overflow(self) -> int:
        """Vehicles counted beyond capacity: recorded, never hidden."""
        return max(0, self.current_count - self.capacity) if self.capacity else 0


class OccupancyChange(models.Model):
    """The ledger: one row per change to a zone's or a floor's count, with its cause."""

    class Cause(models.TextChoices):
        CAMERA_EVENT = "camera_event", _("Camera event")
        VISION_EVENT = "vision_event", _("Vision-service event")
        CORRECTION = "correction", _("Manual correction")
        RESET = "reset", _("Manual reset")
        SCHEDULED_RESET = "scheduled_reset", _("Scheduled reset")

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="changes", verbose_name=_("zone")
    )
    floor = models.ForeignKey(
        Floor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("floor"),
    )
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)
    requested = models.IntegerField(_("requested change"))
    delta = models.IntegerField(
        _("applied change"), help_text=_("Differs from the requested change when clamped at zero.")
    )
    count_after = models.IntegerField(_("resulting count"))
    capacity = models.PositiveIntegerField(_("capacity then"), null=True, blank=True)
    over_capacity = models.PositiveIntegerField(_("over capacity by"), default=0)
    camera_event = models.ForeignKey(
        "cameras.CameraEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("camera event"),
    )
    vehicle_event = models.ForeignKey(
        "VehicleEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vision event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("count change")
        verbose_name_plural = _("count ledger")
        constraints = [
            models.CheckConstraint(
                condition=Q(zone__isnull=False) | Q(floor__isnull=False), name="occupancychange_zone_or_floor"
            ),
            # An event moves a count once, even if its handler were ever run twice.
            models.UniqueConstraint(
                fields=["camera_event"],
                condition=Q(camera_event__isnull=False),
                name="occchange_camera_event_once",
            ),
            models.UniqueConstraint(
                fields=["vehicle_event"],
                condition=Q(vehicle_event__isnull=False),
                name="occchange_vehicle_event_once",
            ),
        ]
        indexes = [
            # "Why does this zone say 37?": its changes, newest first.
            models.Index(fields=["zone", "-created_at"], name="occchange_zone_idx"),
            models.Index(fields=["floor", "-created_at"], name="occchange_floor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.zone or self.floor} {self.delta:+d} → {self.count_after}"

    @property
    def clamped(self) -> bool:
        return self.delta != self.requested


class VehicleEventQuerySet(models.QuerySet):
    def since(self, moment: datetime) -> Self:
        return self.filter(timestamp__gte=moment)


class VehicleEvent(models.Model):
    """A vehicle seen entering or leaving a floor by an external vision service (seed 004)."""

    class VehicleType(models.TextChoices):
        CAR = "car", _("Car")
        MOTORCYCLE = "motorcycle", _("Motorcycle")
        BUS = "bus", _("Bus")
        TRUCK = "truck", _("Truck")

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class UncountedReason(models.TextChoices):
        FLOOR_COUNTS_ZONES = "floor_counts_zones", _("The floor counts from its zones, not from events")

    camera_id = models.CharField(
        _("camera"), max_length=50, help_text=_("The vision service's camera identifier.")
    )
    floor = models.ForeignKey(
        Floor, on_delete=models.PROTECT, related_name="vehicle_events", verbose_name=_("floor")
    )
    track_id = models.CharField(_("track"), max_length=100)
    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices)
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    confidence = models.FloatField(_("confidence"))
    timestamp = models.DateTimeField(_("seen at"), default=timezone.now)
    counted = models.BooleanField(
        _("counted"),
        default=False,
        help_text=_("False when the floor counts from its zones: the event is kept, not counted."),
    )
    uncounted_reason = models.CharField(
        _("why not counted"),
        max_length=20,
        choices=UncountedReason.choices,
        blank=True,
        help_text=_("Empty when the event was counted."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = VehicleEventQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("vision-service event")
        verbose_name_plural = _("vision-service events")
        constraints = [
            # Idempotency: a repeat of the same sighting returns the stored row.
            models.UniqueConstraint(
                fields=["camera_id", "track_id", "direction", "timestamp"],
                name="vehicleevent_idempotency_uniq",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="vehicleevent_confidence_range"
            ),
        ]
        indexes = [
            # Statistics for the last N hours, and the retention clean-up.
            models.Index(fields=["timestamp"], name="vehicleevent_timestamp_idx"),
            models.Index(fields=["floor", "timestamp"], name="vehicleevent_floor_time_idx"),
            models.Index(fields=["track_id", "direction"], name="vehicleevent_track_dir_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.camera_id}/{self.track_id} {self.direction}"


class OccupancySnapshot(models.Model):
    """A zone's or a floor's count every 5 minutes, for history charts."""

    taken_at = models.DateTimeField(_("taken at"))
    zone = models.ForeignKey(
        Zone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("zone"),
    )
    floor = models.ForeignKey(
        Floor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("floor"),
    )
    count = models.IntegerField(_("count"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["taken_at"]
        verbose_name = _("occupancy snapshot")
        verbose_name_plural = _("occupancy snapshots")
        constraints = [
            # One snapshot per subject and slot, so a re-run beat tick adds nothing.
            models.UniqueConstraint(
                fields=["zone", "taken_at"], condition=Q(zone__isnull=False), name="snapshot_zone_time_uniq"
            ),
            models.UniqueConstraint(
                fields=["floor", "taken_at"],
                condition=Q(floor__isnull=False),
                name="snapshot_floor_time_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["taken_at"], name="snapshot_taken_at_idx"),
            # Facility history sums the floor rows of each slot; without this it reads every zone row.
            models.Index(
                fields=["taken_at"], condition=Q(floor__isnull=False), name="snapshot_floor_rows_time_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone or self.floor} {self.count} @ {self.taken_at:%Y-%m-%d %H:%M}"
