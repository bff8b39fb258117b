"""Evidence bundles handed over to the police or another authority: who exported what, when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    ALERT = "alert", _("Alert")
    VISIT = "visit", _("Visit")
    CRIME_REPORT = "crime_report", _("Crime report")


class EvidenceExport(models.Model):
    """One signed archive; exporting also put its case on legal hold."""

    Subject = Subject

    subject_type = models.CharField(_("case type"), max_length=16, choices=Subject.choices)
    subject_id = models.PositiveBigIntegerField(_("case id"))
    # Under MEDIA_ROOT/bundles/: damanat.media maps no permission to that folder, so /media/
    # refuses it; the archive goes out only through the evidence download view.
    file = models.FileField(_("archive"), upload_to="bundles/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the archive"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    key_id = models.CharField(_("signing key id"), max_length=32, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("exported by")
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence export")
        verbose_name_plural = _("evidence exports")
        indexes = [
            # "Bundles of this case": the case's pages and the audit of a hand-over.
            models.Index(fields=["subject_type", "subject_id"], name="evidenceexport_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_subject_type_display()} #{self.subject_id}"

    @property
    def filename(self) -> str:
        return f"evidence-{self.subject_type}-{self.subject_id}-{self.pk}.zip"
