"""Alerts and their lifecycle; notification channels and the deliveries fanned out to them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from damanat.crypto import EncryptedTextField
from damanat.outbox.models import OutboxDestination, OutboxQuerySet, OutboxRow, status_field

from .choices import (
    SEVERITY_RANK,
    Activity,
    AttemptOutcome,
    ChannelKind,
    DeliveryReason,
    DeliveryStatus,
    Kind,
    Language,
    Outcome,
    Severity,
    Status,
    severity_rank,
)
from .replays import replays
from .transports import Destination
from .transports.mqtt import broker_url

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parking.models import Zone

ACTIVE_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED)
CLOSED_STATUSES = (Status.RESOLVED, Status.FALSE_POSITIVE)


class TransitionNotAllowed(Exception):
    """The alert's status does not allow this change (e.g. resolving a resolved alert)."""


class AlertQuerySet(models.QuerySet):
    def active(self) -> Self:
        """Open or acknowledged: still needs someone."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def open(self) -> AlertQuerySet:
        return self.filter(status=Status.OPEN)

    def most_urgent_first(self) -> Self:
        """Critical before high before …, the latest first within a severity."""
        rank = models.Case(
            *(models.When(severity=s, then=models.Value(r)) for s, r in SEVERITY_RANK.items()),
            default=models.Value(0),
        )
        return self.alias(rank=rank).order_by("-rank", "-last_seen_at", "-id")

    def of_kind(self, *kinds: Any) -> Self:
        return self.filter(kind__in=kinds)

    def for_zone(self, zone: Zone | int | None) -> Self:
        return self.filter(zone=zone)

    def changed_since(self, moment: datetime) -> Self:
        return self.filter(updated_at__gt=moment)

    def repeat_candidate(self, group_key: str, since: datetime) -> Alert | None:
        """The latest active alert with this key seen since ``since``, locked for update."""
        return (
            self.active()
            .select_for_update()
            .filter(group_key=group_key, last_seen_at__gte=since)
            .order_by("-last_seen_at")
            .first()
        )


class Alert(models.Model):
    Kind = Kind
    Severity = Severity
    Status = Status

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    camera = models.ForeignKey(
        "cameras.Camera",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("camera"),
    )
    zone = models.ForeignKey(
        "parking.Zone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("zone"),
    )
    plate = models.CharField(_("plate"), max_length=32, blank=True, db_index=True)
    source_event = models.ForeignKey(
        "cameras.CameraEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("source event"),
    )
    event_type = models.CharField(_("event type"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The facts the title and description are worded from, in the reader's language (wording.py).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    group_key = models.CharField(
        _("grouping key"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Repeats with the same key inside the cooldown are grouped."),
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_alerts",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Outcome.choices,
        blank=True,
        help_text=_("What the closed alert turned out to be."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        permissions = [
            ("acknowledge_alert", _("Can acknowledge alerts")),
            ("assign_alert", _("Can assign alerts")),
            ("comment_alert", _("Can comment on alerts")),
            ("resolve_alert", _("Can resolve alerts or mark them false positive")),
        ]
        indexes = [
            # Cooldown lookup: the latest active alert with this grouping key.
            models.Index(
                fields=["group_key", "-last_seen_at"],
                condition=models.Q(status__in=["open", "acknowledged"]),
                name="alert_active_group_idx",
            ),
            # Consoles and the live feed: newest changes first, by kind.
            models.Index(fields=["kind", "-first_seen_at"], name="alert_kind_first_idx"),
            models.Index(fields=["-updated_at"], name="alert_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.title}"

    @property
    def shown_title(self) -> str:
        """The title in the active language (alerts without parameters keep their stored text)."""
        return self._worded()[0]

    @property
    def shown_description(self) -> str:
        return self._worded()[1]

    def _worded(self) -> tuple[str, str]:
        from .wording import render

        return render(self.kind, self.params) if self.params else (self.title, self.description)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_resolved(self) -> bool:
        return self.status in CLOSED_STATUSES

    # Transitions: each locks the row, checks the status, saves and records history.

    def acknowledge(self, *, by: User | None, note: str = "") -> None:
        self._transition(
            (Status.OPEN,),
            Activity.ACKNOWLEDGED,
            by,
            note,
            status=Status.ACKNOWLEDGED,
            acknowledged_by=by,
            acknowledged_at=timezone.now(),
        )

    def assign(self, to: User | int | None, *, by: User | None) -> None:
        self._transition(
            ACTIVE_STATUSES,
            Activity.ASSIGNED,
            by,
            str(to or ""),
            assigned_to=to,
            assigned_at=timezone.now() if to else None,
        )

    def resolve(self, *, by: User | None, note: str = "", outcome: str = Outcome.TRUE) -> None:
        if outcome == Outcome.FALSE_POSITIVE:
            return self.mark_false_positive(by=by, note=note)
        self._transition(
            ACTIVE_STATUSES,
            Activity.RESOLVED,
            by,
            note,
            status=Status.RESOLVED,
            resolved_by=by,
            resolved_at=timezone.now(),
            resolution_note=note,
            outcome=outcome,
        )

    def mark_false_positive(self, *, by: User | None, note: str = "") -> None:
        self._transition(
            ACTIVE_STATUSES,
            Activity.FALSE_POSITIVE,
            by,
            note,
            status=Status.FALSE_POSITIVE,
            resolved_by=by,
            resolved_at=timezone.now(),
            resolution_note=note,
            outcome=Outcome.FALSE_POSITIVE,
        )

    def reopen(self, *, by: User | None, note: str = "") -> None:
        self._transition(
            CLOSED_STATUSES,
            Activity.REOPENED,
            by,
            note,
            status=Status.OPEN,
            resolved_by=None,
            resolved_at=None,
            outcome="",
        )

    def comment(self, text: str, *, by: User | None) -> AlertActivity:
        with transaction.atomic():
            Alert.objects.filter(pk=self.pk).update(updated_at=timezone.now())
            return self.history.create(action=Activity.COMMENTED, user=by, text=text)

    def _transition(
        self, allowed: Iterable[str], action: str, by: User | None, note: str, **changes: Any
    ) -> None:
        with transaction.atomic():
            current = Alert.objects.select_for_update().only("status").get(pk=self.pk)
            if current.status not in allowed:
                message = _("Not allowed while the alert is %(status)s.")
                raise TransitionNotAllowed(message % {"status": current.get_status_display()})
            self.status = current.status
            for field, value in changes.items():
                setattr(self, field, value)
            self.save(update_fields=[*changes, "updated_at"])
            self.history.create(action=action, user=by, text=note)

    def escalate(self, severity: str, *, at: datetime) -> bool:
        """Raise the severity of a repeat; returns False when it is not higher."""
        if severity_rank(severity) <= severity_rank(self.severity):
            return False
        self.severity = severity
        self.save(update_fields=["severity", "updated_at"])
        self.history.create(action=Activity.ESCALATED, text=str(Severity(severity).label), at=at)
        return True


class AlertActivity(models.Model):
    """One line of an alert's history: a transition or a comment."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="history", verbose_name=_("alert")
    )
    action = models.CharField(_("action"), max_length=16, choices=Activity.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("alert history entry")
        verbose_name_plural = _("alert history")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ChannelQuerySet(models.QuerySet):
    def usable(self) -> Self:
        return self.filter(enabled=True, disabled_by_failure=False)


class NotificationChannel(OutboxDestination):
    Kind = ChannelKind
    REQUIRED_BY_KIND = {
        ChannelKind.WEBHOOK: "url",
        ChannelKind.EMAIL: "recipients",
        ChannelKind.MQTT: "mqtt_host",
    }

    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    # Filters: empty means every kind / every zone.
    alert_kinds = models.JSONField(
        _("alert kinds"),
        default=list,
        blank=True,
        help_text=_("Alert kinds sent to this channel; empty for all."),
    )
    min_severity = models.CharField(
        _("minimum severity"), max_length=10, choices=Severity.choices, default=Severity.LOW
    )
    zones = models.ManyToManyField(
        "parking.Zone",
        blank=True,
        related_name="notification_channels",
        verbose_name=_("zones"),
        help_text=_("Only alerts in these zones; none selected for all."),
    )
    # Webhook.
    url = models.URLField(_("URL"), max_length=500, blank=True)
    secret = EncryptedTextField(
        _("signing secret"), blank=True, help_text=_("HMAC-SHA256 key for the X-Damanat-Signature header.")
    )
    bearer_token = EncryptedTextField(
        _("bearer token"), blank=True, help_text=_("Sent as Authorization: Bearer, if the receiver asks.")
    )
    timeout_seconds = models.FloatField(_("timeout (seconds)"), default=5.0)
    # Email.
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("Email addresses, one per line or comma separated.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )
    # MQTT.
    mqtt_host = models.CharField(_("MQTT host"), max_length=200, blank=True)
    mqtt_port = models.PositiveIntegerField(_("MQTT port"), default=1883)
    mqtt_username = models.CharField(_("MQTT username"), max_length=100, blank=True)
    mqtt_password = EncryptedTextField(_("MQTT password"), blank=True)
    mqtt_topic_prefix = models.CharField(
        _("MQTT topic prefix"),
        max_length=200,
        default="damanat/alerts",
        help_text=_("Alerts go to <prefix>/<kind>."),
    )
    # Health.
    disabled_by_failure = models.BooleanField(_("disabled by failure"), default=False)

    objects = ChannelQuerySet.as_manager()

    class Meta(OutboxDestination.Meta):
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def clean(self) -> None:
        field = self.REQUIRED_BY_KIND.get(self.kind)
        if field and not getattr(self, field):
            raise ValidationError({field: self.missing_message(self.kind)})

    @staticmethod
    def missing_message(kind: str) -> str:
        return _("Required for a %(kind)s channel.") % {"kind": ChannelKind(kind).label}

    @property
    def is_usable(self) -> bool:
        return self.enabled and not self.disabled_by_failure

    def matches(self, alert: Alert, zone_ids: set[int]) -> bool:
        """``zone_ids``: this channel's zone filter, prefetched by the caller."""
        if self.alert_kinds and alert.kind not in self.alert_kinds:
            return False
        if severity_rank(alert.severity) < severity_rank(self.min_severity):
            return False
        return not zone_ids or alert.zone_id in zone_ids

    def recipient_list(self) -> list[str]:
        return [r.strip() for r in self.recipients.replace(",", "\n").splitlines() if r.strip()]

    def destination(self) -> Destination:
        url = broker_url(self.mqtt_host, self.mqtt_port) if self.kind == ChannelKind.MQTT else self.url
        return Destination(
            url=url,
            timeout=self.timeout_seconds,
            secret=self.secret,
            bearer_token=self.bearer_token,
            username=self.mqtt_username,
            password=self.mqtt_password,
            topic_prefix=self.mqtt_topic_prefix,
            recipients=tuple(self.recipient_list()),
            language=self.language,
        )

    def disable_for_failure(self, error: str) -> None:
        self.disabled_by_failure = True
        self.last_error, self.last_error_at = error[:2000], timezone.now()
        self.save(update_fields=["disabled_by_failure", "last_error", "last_error_at", "updated_at"])

    def reenable(self) -> None:
        self.disabled_by_failure = False
        self.enabled = True
        self.save(update_fields=["disabled_by_failure", "enabled", "updated_at"])


class Delivery(OutboxRow):
    """An outbox row: one notification of one alert to one channel."""

    Status = DeliveryStatus
    PENDING, CLAIMED, SENT, FAILED = (
        DeliveryStatus.PENDING,
        DeliveryStatus.SENDING,
        DeliveryStatus.SENT,
        DeliveryStatus.FAILED,
    )

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alert")
    )
    channel = models.ForeignKey(
        NotificationChannel, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("channel")
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=DeliveryReason.choices, default=DeliveryReason.CREATED
    )
    status = status_field(DeliveryStatus)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        permissions = [("replay_delivery", _("Can replay failed deliveries"))]
        indexes = [
            # The sweep: pending rows that are due, and claims left by dead workers.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="delivery_unfinished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} → {self.channel}"

    @classmethod
    def claim_timeout(cls) -> timedelta:
        return timedelta(seconds=settings.ALERT_DELIVERY_CLAIM_TIMEOUT_SECONDS)


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    started_at = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=8, choices=AttemptOutcome.choices)
    status_code = models.PositiveIntegerField(_("status code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.started_at:%H:%M:%S}"


class BacktestRun(models.Model):
    """A draft rule replayed over the stored events of the last days (alerts.backtest):
    what it would have raised next to the current rule, never a real alert."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    rule = models.CharField(_("rule"), max_length=20)
    zone = models.ForeignKey(
        "parking.Zone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
    )
    days = models.PositiveSmallIntegerField(_("days replayed"), default=30)
    params = models.JSONField(
        _("draft rule"),
        default=dict,
        blank=True,
        help_text=_("The settings the draft changes; the rest stays as it is."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveBigIntegerField(_("replayed"), default=0)
    progress_total = models.PositiveBigIntegerField(_("to replay"), default=0)
    results = models.JSONField(_("results"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rule backtest")
        verbose_name_plural = _("rule backtests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.rule} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.progress_done * 100 / self.progress_total) if self.progress_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def rule_label(self) -> str:
        replay = replays().get(self.rule)
        return replay.label if replay else self.rule

    def start(self, total: int) -> None:
        self._set(
            status=self.Status.RUNNING, progress_total=total, progress_done=0, started_at=timezone.now()
        )

    def advance(self, count: int) -> None:
        BacktestRun.objects.filter(pk=self.pk).update(progress_done=F("progress_done") + count)
        self.progress_done += count

    def finish(self, results: dict) -> None:
        self._set(
            status=self.Status.DONE,
            results=results,
            progress_done=self.progress_total,
            finished_at=timezone.now(),
        )

    def fail(self, error: str) -> None:
        self._set(status=self.Status.FAILED, error=error[:2000], finished_at=timezone.now())

    def _set(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.save(update_fields=list(changes))
