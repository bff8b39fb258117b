from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    """What an exporter can forward: one record per (exporter, kind, object)."""

    PLATE_READ = "plate_read", _("Plate reads")
    PASSAGE = "passage", _("Gate passages")
    VISIT_CLOSED = "visit_closed", _("Visits closed")
    ALERT = "alert", _("Alerts")


class StreamKind(models.TextChoices):
    """Message kinds on the live stream; clients filter on them at connect."""

    EVENT = "event", _("Camera events")
    PLATE_READ = "plate_read", _("Plate reads")
    PASSAGE = "passage", _("Gate passages")
    VISIT = "visit", _("Visits opened or closed")
    ALERT = "alert", _("Alert changes")


class ModelType(models.TextChoices):
    DETECTION = "detection", _("Object detection")
    PLATE_RECOGNITION = "plate_recognition", _("Plate recognition (OCR)")
    CLASSIFICATION = "classification", _("Vehicle classification")
    CRIME_DETECTION = "crime_detection", _("Crime detection")
    OTHER = "other", _("Other")
