from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CrimeType(models.TextChoices):
    """The crime types seed 003 lists; detector services send these values."""

    THEFT = "theft", _("Theft")
    ASSAULT = "assault", _("Assault")
    VANDALISM = "vandalism", _("Vandalism")
    BREAK_IN = "break_in", _("Break-in")
    SUSPICIOUS_ACTIVITY = "suspicious_activity", _("Suspicious activity")
    ROBBERY = "robbery", _("Robbery")
    TRESPASSING = "trespassing", _("Trespassing")
    FIGHTING = "fighting", _("Fighting")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CONFIRMED = "confirmed", _("Confirmed")
    HANDED_OVER = "handed_over", _("Handed over")
    DISMISSED = "dismissed", _("Dismissed")


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RETRIEVING = "retrieving", _("Retrieving")
    STORED = "stored", _("Stored")
    NOT_FOUND = "not_found", _("No recording found")
    FAILED = "failed", _("Failed")
