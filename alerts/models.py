"""Alerts and their lifecycle."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Severity, Status

ACTIVE_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED)


class AlertQuerySet(models.QuerySet):
    def active(self):
        """Open or acknowledged: still needs someone."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def open(self):
        return self.filter(status=Status.OPEN)

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)

    def for_zone(self, zone):
        return self.filter(zone=zone)


class Alert(models.Model):
    Kind = Kind
    Severity = Severity
    Status = Status

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.OPEN)
    camera = models.ForeignKey("cameras.Camera", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="alerts", verbose_name=_("camera"))
    zone = models.ForeignKey("parking.Zone", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="alerts", verbose_name=_("zone"))
    plate = models.CharField(_("plate"), max_length=32, blank=True, db_index=True)
    source_event = models.ForeignKey("cameras.CameraEvent", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="alerts",
                                     verbose_name=_("source event"))
    event_type = models.CharField(_("event type"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group_key = models.CharField(_("grouping key"), max_length=200, blank=True, db_index=True,
                                 help_text=_("Repeats with the same key inside the cooldown are grouped."))
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="assigned_alerts",
                                    verbose_name=_("assigned to"))
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            # Cooldown lookup: the latest active alert with this grouping key.
            models.Index(fields=["group_key", "-last_seen_at"],
                         condition=models.Q(status__in=["open", "acknowledged"]),
                         name="alert_active_group_idx"),
            # Consoles and the live feed: newest changes first, by kind.
            models.Index(fields=["kind", "-first_seen_at"], name="alert_kind_first_idx"),
            models.Index(fields=["-updated_at"], name="alert_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
