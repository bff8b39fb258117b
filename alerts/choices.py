from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INTRUSION = "intrusion", _("Intrusion")
    VIOLATION = "violation", _("Violation")
    OCCUPANCY_FULL = "occupancy_full", _("Zone full")
    COUNTER_DRIFT = "counter_drift", _("Counter drift")
    UNKNOWN_VEHICLE = "unknown_vehicle", _("Unknown vehicle")
    BLOCKED_VEHICLE = "blocked_vehicle", _("Blocked vehicle")
    PERMIT_EXPIRED = "permit_expired", _("Permit expired")
    OVERSTAY = "overstay", _("Overstay")
    CAMERA_OFFLINE = "camera_offline", _("Camera offline")
    DETECTOR_OFFLINE = "detector_offline", _("Detector offline")
    SUSPICIOUS_ACTIVITY = "suspicious_activity", _("Suspicious activity")
    CRIME = "crime", _("Crime")
    CONFIGURATION = "configuration", _("Configuration")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


def severity_rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")
    FALSE_POSITIVE = "false_positive", _("False positive")


class Outcome(models.TextChoices):
    """What a closed alert turned out to be: the alert quality scorecard counts these."""

    TRUE = "true", _("True alert")
    FALSE_POSITIVE = "false_positive", _("False positive")
    DUPLICATE = "duplicate", _("Duplicate")
    TEST = "test", _("Test")


class Activity(models.TextChoices):
    """Entries in an alert's history."""

    OPENED = "opened", _("Opened")
    ESCALATED = "escalated", _("Escalated")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    COMMENTED = "commented", _("Comment")
    RESOLVED = "resolved", _("Resolved")
    FALSE_POSITIVE = "false_positive", _("Marked false positive")
    REOPENED = "reopened", _("Reopened")


class ChannelKind(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook")
    EMAIL = "email", _("Email")
    MQTT = "mqtt", _("MQTT")


class DeliveryReason(models.TextChoices):
    CREATED = "alert.created", _("Alert opened")
    ESCALATED = "alert.escalated", _("Alert escalated")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class AttemptOutcome(models.TextChoices):
    OK = "ok", _("Delivered")
    RETRY = "retry", _("Failed, will retry")
    FAILED = "failed", _("Failed permanently")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
