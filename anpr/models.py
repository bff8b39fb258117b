"""Registered vehicles, gate passages and visits (UC1, UC2, UC4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import plates

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def local_date(moment: datetime) -> date:
    """The facility's local day of an aware moment."""
    return timezone.localtime(moment).date()


class Category(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    VISITOR = "visitor", _("Visitor")
    CONTRACTOR = "contractor", _("Contractor")
    VIP = "vip", _("VIP")


class PassageCategory(models.TextChoices):
    """A passage's vehicle category, with ``unknown`` for unregistered or unread plates."""

    EMPLOYEE = "employee", _("Employee")
    VISITOR = "visitor", _("Visitor")
    CONTRACTOR = "contractor", _("Contractor")
    VIP = "vip", _("VIP")
    UNKNOWN = "unknown", _("Unknown")


class Gate(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class Match(models.TextChoices):
    EXACT = "exact", _("Exact")
    PROBABLE = "probable", _("Probable (one confusable character)")
    MANUAL = "manual", _("Paired by hand")
    NONE = "none", _("No match")


class VehicleQuerySet(models.QuerySet):
    def allowed(self) -> Self:
        return self.filter(list=Vehicle.List.ALLOWED)

    def blocked(self) -> Self:
        return self.filter(list=Vehicle.List.BLOCKED)

    def valid_on(self, day: date) -> Self:
        """Vehicles whose validity window includes the facility-local ``day``."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )

    def expired_on(self, day: date) -> Self:
        return self.filter(valid_until__lt=day)

    def not_yet_valid_on(self, day: date) -> Self:
        return self.filter(valid_from__gt=day)

    def search(self, text: str) -> Self:
        """Plate in either script (canonical contains) or owner / employee id."""
        plate = plates.plate_characters(text)
        query = models.Q(owner_name__icontains=text) | models.Q(employee_id__icontains=text)
        if plate:
            query |= models.Q(plate__contains=plate)
        return self.filter(query)


class Vehicle(models.Model):
    class List(models.TextChoices):
        ALLOWED = "allowed", _("Allowed")
        BLOCKED = "blocked", _("Blocked")

    Category = Category

    plate = models.CharField(
        _("plate"), max_length=20, unique=True, help_text=_("Canonical form: Latin letters, then digits.")
    )
    owner_name = models.CharField(_("owner name"), max_length=200, blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.EMPLOYEE
    )
    list = models.CharField(_("list"), max_length=8, choices=List.choices, default=List.ALLOWED)
    employee_id = models.CharField(_("employee id"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    max_stay_minutes = models.PositiveIntegerField(
        _("maximum stay (minutes)"),
        null=True,
        blank=True,
        help_text=_("Overstay alert after this long; empty: the visitor default, none for others."),
    )
    notes = models.TextField(_("notes"), blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        ordering = ["plate"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        indexes = [
            # Registry sync to cameras: allowed / blocked lists.
            models.Index(fields=["list", "category"], name="vehicle_list_category_idx"),
        ]

    def __str__(self) -> str:
        return self.plate_display

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.plate = plates.canonical_plate(self.plate) or self.plate.upper()
        super().save(*args, **kwargs)

    @property
    def plate_display(self) -> str:
        return plates.latin_display(self.plate)

    @property
    def plate_arabic(self) -> str:
        return plates.arabic_display(self.plate)

    @property
    def is_blocked(self) -> bool:
        return self.list == self.List.BLOCKED

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    def allowed_stay_minutes(self) -> int | None:
        return stay_limit(self.max_stay_minutes, self.category)


def stay_limit(max_stay_minutes: int | None, category: str, visitor_minutes: int | None = None) -> int | None:
    """A vehicle's own limit, else the visitors' default for visitors, else none; the
    backtest (alerts.backtest) passes a draft visitors' default."""
    if max_stay_minutes:
        return max_stay_minutes
    if category == Category.VISITOR:
        return settings.ANPR_VISITOR_MAX_STAY_MINUTES if visitor_minutes is None else visitor_minutes
    return None


class GatePassageQuerySet(models.QuerySet):
    def entries(self) -> Self:
        return self.filter(gate=Gate.ENTRY)

    def exits(self) -> Self:
        return self.filter(gate=Gate.EXIT)

    def unread(self) -> Self:
        return self.filter(plate="")

    def read_around(
        self, gate: str, candidates: Iterable[str], moment: datetime, window: timedelta
    ) -> GatePassage | None:
        """The passage at ``gate`` of any of ``candidates`` whose reads span ``moment`` ± window."""
        return (
            self.filter(
                gate=gate,
                plate__in=candidates,
                last_read_at__gte=moment - window,
                occurred_at__lte=moment + window,
            )
            .order_by("-last_read_at")
            .first()
        )


class GatePassage(models.Model):
    """A vehicle through a gate: one or more reads of the same plate close together."""

    gate = models.CharField(_("gate"), max_length=5, choices=Gate.choices)
    camera = models.ForeignKey(
        "cameras.Camera",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gate_passages",
        verbose_name=_("camera"),
    )
    event = models.ForeignKey(
        "cameras.CameraEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gate_passages",
        verbose_name=_("first event"),
    )
    plate = models.CharField(
        _("plate"),
        max_length=20,
        blank=True,
        help_text=_("Canonical plate; empty when the camera read nothing."),
    )
    raw_plate = models.CharField(_("plate as read"), max_length=64, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    vehicle = models.ForeignKey(
        Vehicle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="passages",
        verbose_name=_("vehicle"),
    )
    match = models.CharField(_("registry match"), max_length=8, choices=Match.choices, default=Match.NONE)
    category = models.CharField(
        _("category"), max_length=12, choices=PassageCategory.choices, default=PassageCategory.UNKNOWN
    )
    occurred_at = models.DateTimeField(_("time"))
    local_date = models.DateField(_("day (facility time)"))
    last_read_at = models.DateTimeField(_("last read"))
    reads = models.PositiveIntegerField(_("reads"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = GatePassageQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("gate passage")
        verbose_name_plural = _("gate passages")
        indexes = [
            # Repeated-read window: same plate at the same gate, latest read.
            models.Index(fields=["plate", "gate", "last_read_at"], name="passage_plate_gate_idx"),
            # /entry-exit, newest first.
            models.Index(fields=["-occurred_at"], name="passage_occurred_idx"),
            # Daily entry / exit counts.
            models.Index(fields=["local_date", "gate", "category"], name="passage_day_gate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_gate_display()} {self.plate_display or _('unread')}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.local_date = local_date(self.occurred_at)
        if self.last_read_at is None:
            self.last_read_at = self.occurred_at
        super().save(*args, **kwargs)
        DayFigure.forget(self.local_date)

    @property
    def plate_display(self) -> str:
        return plates.latin_display(self.plate) if self.plate else ""

    @property
    def plate_arabic(self) -> str:
        return plates.arabic_display(self.plate)

    @property
    def is_unread(self) -> bool:
        return not self.plate

    def add_read(self, moment: datetime) -> None:
        GatePassage.objects.filter(pk=self.pk).update(
            reads=models.F("reads") + 1, last_read_at=Greatest("last_read_at", Value(moment))
        )


class VisitQuerySet(models.QuerySet):
    def open(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.OPEN)

    def for_plates(self, candidates: Iterable[str]) -> Self:
        return self.filter(plate__in=candidates)

    def needing_review(self) -> Self:
        return self.filter(status__in=[Visit.Status.ORPHAN_EXIT, Visit.Status.STALE])

    def entered_before(self, moment: datetime) -> Self:
        return self.filter(entered_at__lt=moment)

    def latest_open(self, candidates: Iterable[str], before: datetime) -> Visit | None:
        """The most recent open visit of any of ``candidates`` that began by ``before``."""
        return (
            self.open().for_plates(candidates).filter(entered_at__lte=before).order_by("-entered_at").first()
        )

    def close_stale(self, now: datetime, note: str) -> int:
        return self.open().update(status=Visit.Status.STALE, closed_at=now, close_note=note[:200])

    def completed_between(self, first: date, last: date) -> Self:
        return self.filter(status=Visit.Status.CLOSED, exit_date__gte=first, exit_date__lte=last)


class Visit(models.Model):
    """From an entry to the matching exit; orphan exits and stale visits are kept for review."""

    class Status(models.TextChoices):
        OPEN = "open", _("Inside")
        CLOSED = "closed", _("Closed")
        STALE = "stale", _("Closed as stale (no exit seen)")
        ORPHAN_EXIT = "orphan_exit", _("Exit without entry")

    plate = models.CharField(_("plate"), max_length=20)
    vehicle = models.ForeignKey(
        Vehicle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("vehicle"),
    )
    category = models.CharField(
        _("category"), max_length=12, choices=PassageCategory.choices, default=PassageCategory.UNKNOWN
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    entry = models.OneToOneField(
        GatePassage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_entered",
        verbose_name=_("entry passage"),
    )
    exit = models.OneToOneField(
        GatePassage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_exited",
        verbose_name=_("exit passage"),
    )
    entered_at = models.DateTimeField(_("entered"), null=True, blank=True)
    exited_at = models.DateTimeField(_("exited"), null=True, blank=True)
    entry_date = models.DateField(_("entry day"), null=True, blank=True)
    exit_date = models.DateField(_("exit day"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    exit_match = models.CharField(_("exit match"), max_length=8, choices=Match.choices, default=Match.NONE)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_note = models.CharField(_("note"), max_length=200, blank=True)
    overstay_alerted_at = models.DateTimeField(_("overstay alerted"), null=True, blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-entered_at", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            # Exit pairing and re-entry: the open visit of a plate.
            models.Index(
                fields=["plate", "-entered_at"],
                condition=models.Q(status="open"),
                name="visit_open_plate_idx",
            ),
            # Stale and overstay sweeps scan open visits by entry time.
            models.Index(
                fields=["entered_at"], condition=models.Q(status="open"), name="visit_open_entered_idx"
            ),
            # Parking time per day and per range (covering: no heap visit for the figures).
            models.Index(
                fields=["exit_date", "category", "duration_seconds"],
                condition=models.Q(status="closed"),
                name="visit_closed_day_idx",
            ),
            # Review list: orphan exits and stale visits.
            models.Index(
                fields=["status", "-exited_at"],
                condition=models.Q(status__in=["orphan_exit", "stale"]),
                name="visit_review_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{plates.latin_display(self.plate)} ({self.get_status_display()})"

    @property
    def plate_display(self) -> str:
        return plates.latin_display(self.plate)

    @property
    def duration_minutes(self) -> float | None:
        return None if self.duration_seconds is None else round(self.duration_seconds / 60, 1)

    def close(self, exit_passage: GatePassage, match: str = Match.EXACT) -> bool:
        """Close with an exit; False when another exit closed it first."""
        moment = exit_passage.occurred_at
        changes = {
            "status": Visit.Status.CLOSED,
            "exit": exit_passage,
            "exited_at": moment,
            "exit_date": local_date(moment),
            "exit_match": match,
            "duration_seconds": max(0, int((moment - self.entered_at).total_seconds())),
            "closed_at": timezone.now(),
        }
        return self._change_if_open(changes)

    def close_stale(self, note: str, at: datetime | None = None) -> bool:
        changes = {"status": Visit.Status.STALE, "closed_at": at or timezone.now(), "close_note": note[:200]}
        return self._change_if_open(changes)

    def _change_if_open(self, changes: dict) -> bool:
        """Compare-and-set from open, so two exits never close the same visit."""
        if not Visit.objects.filter(pk=self.pk, status=Visit.Status.OPEN).update(**changes):
            return False
        for name, value in changes.items():
            setattr(self, name, value)
        if self.status == Visit.Status.CLOSED:
            DayFigure.forget(self.exit_date)
        return True

    @transaction.atomic
    def pair_with(self, orphan: Visit, note: str = "") -> None:
        """Staff pairing a stale or open visit with an orphan exit: one closed visit remains."""
        if self.status not in (Visit.Status.STALE, Visit.Status.OPEN) or self.entered_at is None:
            raise ValueError(_("Only a visit with an entry that is open or stale can be paired."))
        if orphan.status != Visit.Status.ORPHAN_EXIT or orphan.exited_at < self.entered_at:
            raise ValueError(_("Pair with an exit without entry that happened after the entry."))
        passage = orphan.exit
        orphan.delete()
        self.status = Visit.Status.OPEN
        self.save(update_fields=["status"])
        self.close(passage, match=Match.MANUAL)
        Visit.objects.filter(pk=self.pk).update(close_note=(note or _("paired by hand"))[:200])
        self.refresh_from_db()


class DayFigure(models.Model):
    """A finished facility-local day's figures, kept so ranges over a year stay fast.

    Written on first use for days before today (today is always computed live) and
    forgotten when a late passage or a closure changes that day. ``figures`` is the
    day exactly as the range endpoint returns it.
    """

    day = models.DateField(_("day"), unique=True)
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")

    def __str__(self) -> str:
        return str(self.day)

    @classmethod
    def forget(cls, day: date) -> None:
        """A past day changed: its figures are computed again on next use."""
        if day < local_date(timezone.now()):
            cls.objects.filter(day=day).delete()


class MisreadReviewQuerySet(models.QuerySet):
    def open(self) -> Self:
        return self.filter(status=MisreadReview.Status.OPEN)

    def pending(self) -> Self:
        """Open items whose passage is still unmatched: a later read or a hand pairing may
        have matched it since the item was queued."""
        still_orphan = models.Q(
            kind=Gate.ENTRY, passage__visit_entered__status__in=[Visit.Status.OPEN, Visit.Status.STALE]
        ) | models.Q(kind=Gate.EXIT, passage__visit_exited__status=Visit.Status.ORPHAN_EXIT)
        return self.open().filter(still_orphan)

    def settled_elsewhere(self) -> Self:
        return self.open().exclude(pk__in=self.pending().values("pk"))


class MisreadReview(models.Model):
    """An entry that never met its exit, or an exit without entry, waiting for staff to pair it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    passage = models.OneToOneField(
        GatePassage,
        on_delete=models.CASCADE,
        related_name="misread_review",
        verbose_name=_("unmatched passage"),
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Gate.choices)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.OPEN)
    match = models.ForeignKey(
        GatePassage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen match"),
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settled by"),
    )
    resolved_at = models.DateTimeField(_("settled"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MisreadReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("misread review")
        verbose_name_plural = _("misread reviews")
        indexes = [
            # The inbox and the sweep's settled-elsewhere check: open items, newest first.
            models.Index(fields=["-created_at"], condition=models.Q(status="open"), name="misread_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.passage.plate_display} ({self.get_status_display()})"

    def settle(
        self, status: str, by: User | None = None, match: GatePassage | None = None, note: str = ""
    ) -> bool:
        """Compare-and-set from open: two clicks never settle one item twice."""
        changes = {
            "status": status,
            "resolved_by": by,
            "resolved_at": timezone.now(),
            "match": match,
            "note": note[:200],
        }
        if not MisreadReview.objects.filter(pk=self.pk, status=self.Status.OPEN).update(**changes):
            return False
        for name, value in changes.items():
            setattr(self, name, value)
        return True


class PlateConfusion(models.Model):
    """How often a camera read ``read`` where the plate said ``true`` (from resolved misreads)."""

    camera = models.ForeignKey(
        "cameras.Camera", on_delete=models.CASCADE, related_name="plate_confusions", verbose_name=_("camera")
    )
    read = models.CharField(_("read as"), max_length=1)
    true = models.CharField(_("true character"), max_length=1)
    count = models.PositiveIntegerField(_("count"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["camera", "read", "true"]
        verbose_name = _("plate confusion")
        verbose_name_plural = _("plate confusions")
        constraints = [
            # One counter per camera and character pair: the learner's increments, the ranking's read.
            models.UniqueConstraint(fields=["camera", "read", "true"], name="confusion_camera_pair_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.read} → {self.true}"
