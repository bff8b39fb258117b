"""The outbox row: the fields and state changes alert deliveries and export records share."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Self

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxQuerySet(models.QuerySet):
    def pending(self) -> Self:
        return self.filter(status=self.model.PENDING)

    def failed(self) -> Self:
        return self.filter(status=self.model.FAILED)

    def free(self, now: datetime) -> Self:
        """Not claimed, or claimed by a worker that died before recording an outcome."""
        return self.filter(Q(claimed_at=None) | Q(claimed_at__lt=now - self.model.claim_timeout()))

    def due(self, now: datetime) -> Self:
        return self.pending().filter(next_attempt_at__lte=now).free(now)

    def stale_claims(self, now: datetime) -> Self:
        return self.filter(
            status__in=[self.model.PENDING, self.model.CLAIMED],
            claimed_at__lt=now - self.model.claim_timeout(),
        )

    def claimable(self, now: datetime) -> Self:
        """Rows a worker may claim now; a feature may claim before the due time."""
        return self.due(now)

    def claim(self, pk: int, now: datetime) -> bool:
        """Compare-and-set: only one worker gets True and may send."""
        return (
            self.claimable(now)
            .filter(pk=pk)
            .update(status=self.model.CLAIMED, claimed_at=now, attempts=F("attempts") + 1)
            == 1
        )

    def release_stale_claims(self, now: datetime) -> int:
        return self.stale_claims(now).update(status=self.model.PENDING, claimed_at=None)

    def replay_failed(self, now: datetime | None = None) -> list[int]:
        """Failed rows pending again from scratch (same event id, so receivers still
        recognise them); the caller queues the returned ids."""
        with transaction.atomic():
            ids = list(self.failed().select_for_update().values_list("pk", flat=True))
            self.model.objects.filter(pk__in=ids).update(
                status=self.model.PENDING, attempts=0, claimed_at=None, next_attempt_at=now or timezone.now()
            )
        return ids


class OutboxRow(models.Model):
    """Subclasses declare ``status`` (``status_field``) and name their statuses:
    ``PENDING``, ``CLAIMED`` (may equal PENDING), ``SENT``, ``FAILED``, and the field
    that holds the sending time (``SENT_AT``)."""

    PENDING = CLAIMED = "pending"
    SENT, FAILED = "sent", "failed"
    SENT_AT = "sent_at"
    CLAIM_TIMEOUT_SECONDS = 300

    event_id = models.UUIDField(
        _("event id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Sent with every attempt so receivers can drop repeats."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def claim_timeout(cls) -> timedelta:
        return timedelta(seconds=cls.CLAIM_TIMEOUT_SECONDS)

    def record_sent(self, status_code: int | None, **fields: Any) -> None:
        self._finish(
            status=self.SENT,
            last_status_code=status_code,
            last_error="",
            **{self.SENT_AT: timezone.now()},
            **fields,
        )

    def record_failed(self, error: str, status_code: int | None = None, **fields: Any) -> None:
        self._finish(status=self.FAILED, last_error=error[:2000], last_status_code=status_code, **fields)

    def retry_at(self, when: datetime, error: str, status_code: int | None, **fields: Any) -> None:
        self._finish(
            status=self.PENDING,
            next_attempt_at=when,
            last_error=error[:2000],
            last_status_code=status_code,
            **fields,
        )

    def _finish(self, **fields: Any) -> None:
        """One UPDATE that also releases the claim; the instance follows."""
        fields["claimed_at"] = None
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)


class OutboxDestination(models.Model):
    """Where rows are sent (a channel, an exporter): its name, and its health as the last
    attempts left it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def record_success(self, now: datetime | None = None) -> None:
        type(self).objects.filter(pk=self.pk).update(last_success_at=now or timezone.now())

    def record_error(self, error: str, now: datetime | None = None) -> None:
        type(self).objects.filter(pk=self.pk).update(
            last_error=error[:2000], last_error_at=now or timezone.now()
        )


def status_field(choices: type[models.TextChoices]) -> models.CharField:
    return models.CharField(_("status"), max_length=10, choices=choices.choices, default=choices.PENDING)
