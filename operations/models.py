"""Audit trail, legal holds and retention policies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin")
        API = "api", _("API")
        PAGE = "page", _("Staff pages")
        SYSTEM = "system", _("System")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    source = models.CharField(_("through"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(
        _("changes"), default=dict, help_text=_("field: [old, new]; secrets are masked")
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            # "What happened to this record": the admin filters by type and id.
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.action} {self.object_repr}"


class LegalHoldQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(released_at=None)

    def held_ids(self, model: type[models.Model]) -> models.QuerySet:
        ct = ContentType.objects.get_for_model(model)
        return self.active().filter(content_type=ct).values_list("object_id", flat=True)


class LegalHold(models.Model):
    """Keeps a record (an alert, a visit, a plate read) and what it points to from retention."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [
            # Retention asks "which ids of this type are held" for every batch.
            models.Index(
                fields=["content_type", "object_id"],
                condition=models.Q(released_at=None),
                name="legalhold_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}"

    def release(self, by: User | None) -> None:
        self.released_by, self.released_at = by, timezone.now()
        self.save(update_fields=["released_by", "released_at"])


class RetentionPolicy(models.Model):
    class DataType(models.TextChoices):
        RAW_EVENTS = "raw_events", _("Raw camera events")
        PICTURES = "pictures", _("Pictures")
        PASSAGES_VISITS = "passages_visits", _("Gate passages and visits")
        ALERTS = "alerts", _("Closed alerts")
        DELIVERIES = "deliveries", _("Notification deliveries")
        LEDGER = "ledger", _("Occupancy ledger")
        SNAPSHOTS = "snapshots", _("Occupancy snapshots")

    data_type = models.CharField(_("data"), max_length=20, choices=DataType.choices, unique=True)
    keep_days = models.PositiveIntegerField(_("keep (days)"))
    enabled = models.BooleanField(_("enabled"), default=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_deleted = models.PositiveIntegerField(_("deleted at last run"), default=0)

    class Meta:
        ordering = ["data_type"]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.get_data_type_display()}: {self.keep_days} d"
