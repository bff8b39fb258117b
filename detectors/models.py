"""External AI detector services (seed 003): accounts, tokens, crime reports, duty roster."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.choices import Severity
from alerts.models import Alert

from .choices import CrimeType, EvidenceStatus, ReportStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from cameras.models import Camera
    from parking.models import Floor


class DetectorQuerySet(models.QuerySet):
    def enabled(self) -> Self:
        return self.filter(enabled=True)

    def allowed_from(self, ip: str | None) -> Self:
        return self.filter(allowed_ip=ip) if ip else self.none()

    def silent_since(self, moment: datetime) -> Self:
        """Enabled detectors marked active whose last heartbeat is older than ``moment``."""
        return (
            self.enabled()
            .filter(is_active=True)
            .filter(models.Q(last_heartbeat_at__lt=moment) | models.Q(last_heartbeat_at=None))
        )


class Detector(models.Model):
    """One registered detector service instance (a "model" in the seed's words)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("login email"), unique=True)
    password = models.CharField(_("password"), max_length=128, editable=False)
    allowed_ip = models.GenericIPAddressField(
        _("allowed IP address"), help_text=_("Every request, login included, must come from this address.")
    )
    cameras = models.ManyToManyField(
        "cameras.Camera", blank=True, related_name="detectors", verbose_name=_("assigned cameras")
    )
    enabled = models.BooleanField(
        _("account enabled"), default=True, help_text=_("A disabled account cannot log in or call the API.")
    )
    is_active = models.BooleanField(_("active (heartbeat)"), default=False, editable=False)
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)
    reported_camera_ids = models.JSONField(
        _("cameras reported in the last heartbeat"), default=list, blank=True, editable=False
    )
    went_inactive_at = models.DateTimeField(_("went inactive"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DetectorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("detector service")
        verbose_name_plural = _("detector services")
        indexes = [
            # The watchdog scans active detectors by heartbeat age.
            models.Index(
                fields=["last_heartbeat_at"],
                condition=models.Q(is_active=True),
                name="detector_active_beat_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @classmethod
    def authenticate(cls, email: str, password: str) -> Detector | None:
        detector = cls.objects.filter(email__iexact=email.strip()).first()
        if detector is None:
            make_password(password)  # same work as a real check: no timing hint that the email is unknown
            return None
        return detector if detector.check_password(password) else None

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)

    def assigned_cameras(self) -> QuerySet[Camera]:
        from cameras.models import Camera

        return Camera.objects.active().filter(detectors=self).order_by("id")

    def issue_token(self, name: str = "login") -> str:
        """A new token in Sanctum's ``<id>|<secret>`` shape; only its hash is kept."""
        secret = secrets.token_urlsafe(30)
        token = self.tokens.create(name=name, key_hash=DetectorToken.hash(secret), prefix=secret[:6])
        return f"{token.pk}|{secret}"

    def revoke_tokens(self) -> int:
        return self.tokens.live().update(revoked_at=timezone.now())

    def mark_heartbeat(self, camera_ids: list[int], at: datetime | None = None) -> bool:
        """Record a heartbeat; True when this brought an inactive detector back."""
        now = at or timezone.now()
        fields = {"last_heartbeat_at": now, "reported_camera_ids": camera_ids}
        # The common case (already active) is one UPDATE; each branch is a compare-and-set.
        recovered = False
        if not Detector.objects.filter(pk=self.pk, is_active=True).update(**fields):
            recovered = (
                Detector.objects.filter(pk=self.pk, is_active=False).update(
                    is_active=True, went_inactive_at=None, **fields
                )
                == 1
            )
        self.is_active, self.last_heartbeat_at, self.reported_camera_ids = True, now, camera_ids
        if recovered:
            self.went_inactive_at = None
        return recovered

    def mark_inactive(self, silent_since: datetime | None, at: datetime | None = None) -> bool:
        """Compare-and-set on the heartbeat too: a beat that lands meanwhile keeps it active."""
        now = at or timezone.now()
        changed = (
            Detector.objects.filter(pk=self.pk, is_active=True)
            .filter(models.Q(last_heartbeat_at__lt=silent_since) | models.Q(last_heartbeat_at=None))
            .update(is_active=False, went_inactive_at=now)
            == 1
        )
        if changed:
            self.is_active, self.went_inactive_at = False, now
        return changed


class DetectorTokenQuerySet(models.QuerySet):
    def live(self) -> Self:
        return self.filter(revoked_at=None)


class DetectorToken(models.Model):
    """A bearer token; it does not expire until revoked (seed 003)."""

    detector = models.ForeignKey(
        Detector, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("detector")
    )
    name = models.CharField(_("name"), max_length=50, default="login")
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = DetectorTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("detector token")
        verbose_name_plural = _("detector tokens")

    def __str__(self) -> str:
        return f"{self.pk}|{self.prefix}…"

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def resolve(cls, bearer: str) -> DetectorToken | None:
        """The live token for ``<id>|<secret>`` (or a bare secret), compared in constant time."""
        token_id, _sep, secret = bearer.rpartition("|")
        digest = cls.hash(secret)
        candidates = cls.objects.live().select_related("detector")
        token = (
            candidates.filter(pk=int(token_id)).first()
            if token_id.isdigit()
            else candidates.filter(key_hash=digest).first()
        )
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            return None
        return token

    def touch(self, at: datetime | None = None) -> None:
        # Written at most once a minute: every API call authenticates.
        now = at or timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            DetectorToken.objects.filter(pk=self.pk).update(last_used_at=now)

    def revoke(self) -> None:
        DetectorToken.objects.filter(pk=self.pk, revoked_at=None).update(revoked_at=timezone.now())


def severity_for(confidence: float) -> Severity:
    """Seed 003: <40 low, 40-59 medium, 60-79 high, >=80 critical."""
    if confidence >= 80:
        return Severity.CRITICAL
    if confidence >= 60:
        return Severity.HIGH
    if confidence >= 40:
        return Severity.MEDIUM
    return Severity.LOW


class TransitionError(ValueError):
    pass


class CrimeReportQuerySet(models.QuerySet):
    def evidence_stalled(self, now: datetime, pending_for: timedelta, retrieving_for: timedelta) -> Self:
        """Reports whose evidence task was never queued (broker down) or was lost."""
        return self.filter(
            models.Q(evidence_status=EvidenceStatus.PENDING, created_at__lt=now - pending_for)
            | models.Q(
                evidence_status=EvidenceStatus.RETRIEVING, evidence_checked_at__lt=now - retrieving_for
            )
        )


class CrimeReport(models.Model):
    Status = ReportStatus
    EvidenceStatus = EvidenceStatus

    detector = models.ForeignKey(
        Detector, on_delete=models.PROTECT, related_name="reports", verbose_name=_("detector")
    )
    camera = models.ForeignKey(
        "cameras.Camera", on_delete=models.PROTECT, related_name="crime_reports", verbose_name=_("camera")
    )
    crime_type = models.CharField(_("crime type"), max_length=24, choices=CrimeType.choices)
    confidence_score = models.FloatField(_("confidence (%)"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    start_time = models.DateTimeField(_("activity started"))
    end_time = models.DateTimeField(_("crime confirmed by detector"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    alert = models.OneToOneField(
        "alerts.Alert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="crime_report",
        verbose_name=_("alert"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_to = models.CharField(
        _("handed over to"), max_length=200, blank=True, help_text=_("Police station, officer or authority.")
    )
    note = models.TextField(_("note"), blank=True)
    evidence_status = models.CharField(
        _("evidence"), max_length=12, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    evidence_attempts = models.PositiveSmallIntegerField(_("evidence attempts"), default=0)
    evidence_error = models.TextField(_("evidence error"), blank=True)
    evidence_checked_at = models.DateTimeField(_("evidence last tried"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    objects = CrimeReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("crime report")
        verbose_name_plural = _("crime reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lte=models.F("end_time")),
                name="crimereport_start_not_after_end",
            ),
        ]
        indexes = [
            # Staff review queue: newest pending reports first.
            models.Index(fields=["status", "-created_at"], name="crimereport_status_idx"),
            # The evidence sweep scans only reports still waiting for their recording.
            models.Index(
                fields=["created_at"],
                condition=models.Q(evidence_status__in=["pending", "retrieving"]),
                name="crimereport_evidence_wait_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_crime_type_display()} @ {self.camera}"

    def confirm(self, *, by: User | None) -> None:
        self._move({ReportStatus.PENDING}, ReportStatus.CONFIRMED, reviewed_by=by, reviewed_at=timezone.now())

    def hand_over(self, *, by: User | None, to: str = "", note: str = "") -> None:
        self._move(
            {ReportStatus.CONFIRMED},
            ReportStatus.HANDED_OVER,
            handed_over_by=by,
            handed_over_at=timezone.now(),
            handed_over_to=to,
            note=note or self.note,
        )

    def dismiss(self, *, by: User | None, note: str = "") -> None:
        self._move(
            {ReportStatus.PENDING, ReportStatus.CONFIRMED},
            ReportStatus.DISMISSED,
            reviewed_by=by,
            reviewed_at=timezone.now(),
            note=note or self.note,
        )

    def _move(self, sources: set[str], target: str, **fields: Any) -> None:
        with transaction.atomic():
            moved = CrimeReport.objects.filter(pk=self.pk, status__in=sources).update(status=target, **fields)
            if moved != 1:
                raise TransitionError(
                    _("A %(status)s report cannot become %(target)s.")
                    % {"status": self.get_status_display(), "target": ReportStatus(target).label}
                )
            for name, value in {"status": target, **fields}.items():
                setattr(self, name, value)
            self._close_alert(target, fields.get("reviewed_by") or fields.get("handed_over_by"))

    def _close_alert(self, target: str, by: User | None) -> None:
        alert = Alert.objects.filter(pk=self.alert_id).first()
        if target not in (ReportStatus.DISMISSED, ReportStatus.HANDED_OVER) or alert is None:
            return
        if not alert.is_active:
            return  # staff already closed the alert itself
        note = str(_("Crime report %(status)s.") % {"status": ReportStatus(target).label})
        if target == ReportStatus.DISMISSED:
            alert.mark_false_positive(by=by, note=note)
        else:
            alert.resolve(by=by, note=note)


class Evidence(models.Model):
    """A recording clip retrieved from the camera for a crime report."""

    report = models.ForeignKey(
        CrimeReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("crime report")
    )
    file = models.FileField(_("recording"), upload_to="evidence/%Y/%m/%d/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    playback_uri = models.TextField(_("camera playback URI"), blank=True)
    clip_start = models.DateTimeField(_("clip start"), null=True, blank=True)
    clip_end = models.DateTimeField(_("clip end"), null=True, blank=True)
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)

    class Meta:
        ordering = ["clip_start", "id"]
        verbose_name = _("evidence clip")
        verbose_name_plural = _("evidence clips")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.file.name} ({self.sha256[:12]})"


class DutyShiftQuerySet(models.QuerySet):
    def on_duty(self, at: datetime | None = None) -> Self:
        now = at or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, user__is_active=True)


class DutyShift(models.Model):
    """The duty roster: who is on duty when, and where their post is."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="duty_shifts",
        verbose_name=_("staff member"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    post_floor = models.ForeignKey(
        "parking.Floor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post floor"),
    )
    post_zone = models.ForeignKey(
        "parking.Zone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post zone"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="dutyshift_starts_before_end"
            ),
        ]
        indexes = [
            # Who is on duty now.
            models.Index(fields=["starts_at", "ends_at"], name="dutyshift_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    @property
    def floor(self) -> Floor | None:
        return self.post_floor or getattr(self.post_zone, "floor", None)
