"""Exporting puts the case on legal hold: retention then keeps its rows, events and pictures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from operations.models import LegalHold

from .cases import Case

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def held_records(case: Case) -> list:
    """The subject and what it points to; retention follows events to their pictures."""
    records = [case.subject, *case.alerts, case.visit, case.report, *case.events]
    unique = {(type(r), r.pk): r for r in records if r is not None}
    return list(unique.values())


def place_holds(case: Case, *, by: User | AnonymousUser | None, export_id: int) -> list[LegalHold]:
    reason = _("Evidence bundle #%(id)s exported by %(user)s.") % {"id": export_id, "user": by}
    placed = []
    for record in held_records(case):
        content_type = ContentType.objects.get_for_model(type(record))
        active = LegalHold.objects.active().filter(content_type=content_type, object_id=str(record.pk))
        if not active.exists():
            placed.append(
                LegalHold.objects.create(
                    content_type=content_type, object_id=str(record.pk), reason=reason, placed_by=by
                )
            )
    return placed


def case_holds(case: Case) -> list[LegalHold]:
    """Every hold ever placed on the case's records, released ones included."""
    holds = []
    for record in held_records(case):
        content_type = ContentType.objects.get_for_model(type(record))
        holds += LegalHold.objects.filter(content_type=content_type, object_id=str(record.pk))
    return holds
