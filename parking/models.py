"""Floors and zones: where vehicles are counted and rules apply."""
from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class Floor(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    level = models.SmallIntegerField(_("level"), default=0)
    total_slots = models.PositiveIntegerField(_("total slots"), default=0)
    current_vehicles = models.IntegerField(_("current vehicles"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        constraints = [
            models.CheckConstraint(condition=models.Q(current_vehicles__gte=0),
                                   name="floor_current_vehicles_not_negative"),
        ]
        indexes = [models.Index(fields=["is_active"], name="floor_is_active_idx")]

    def __str__(self) -> str:
        return self.name


class ZoneQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def unconfigured(self):
        return self.filter(configured=False)


class Zone(models.Model):
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

    code = models.CharField(_("region code"), max_length=100,
                            help_text=_("The camera's regionID: a number or a name."))
    name = models.CharField(_("name"), max_length=200, blank=True)
    camera = models.ForeignKey("cameras.Camera", on_delete=models.CASCADE, related_name="zones",
                               verbose_name=_("camera"))
    floor = models.ForeignKey(Floor, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="zones", verbose_name=_("floor"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARKING)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Empty until staff configure the zone."))
    current_count = models.IntegerField(_("current count"), default=0)
    configured = models.BooleanField(
        _("configured"), default=True,
        help_text=_("False for zones created from an unknown region; staff must configure them."))
    counted_targets = models.JSONField(_("targets that count"), default=list, blank=True,
                                       help_text=_('Detection targets the rules act on, e.g. ["vehicle"].'))
    line_is_violation = models.BooleanField(_("line crossing is a violation"), default=True)
    active_from = models.TimeField(_("active from (facility time)"), null=True, blank=True)
    active_until = models.TimeField(_("active until (facility time)"), null=True, blank=True)
    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True,
                                help_text=_("Polygon or MultiPolygon, image coordinates or lon/lat."))
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
            models.CheckConstraint(condition=models.Q(current_count__gte=0),
                                   name="zone_current_count_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name or self.code

    @classmethod
    def for_region(cls, camera, region_id: str) -> Zone | None:
        """The zone for (camera, regionID); an unknown region becomes an unconfigured zone."""
        if camera is None or not region_id:
            return None
        zone = cls.objects.filter(camera=camera, code=region_id).first()
        if zone is not None:
            return zone
        try:
            with transaction.atomic():
                return cls.objects.create(camera=camera, code=region_id, name=region_id,
                                          configured=False, floor=None)
        except IntegrityError:
            return cls.objects.get(camera=camera, code=region_id)

    def targets(self) -> list[str]:
        return [t.lower() for t in self.counted_targets] or ["vehicle"]
