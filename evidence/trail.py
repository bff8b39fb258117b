"""The audit trail of a case: every recorded change to its records and every alert action.

Sources: operations' AuditEntry rows for the case's alerts, visit, crime report, legal
holds and evidence exports; the alerts' own history (acknowledged, assigned, resolved, …).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from operations.models import AuditEntry

from .cases import Case
from .holds import case_holds
from .models import EvidenceExport


@dataclass
class TrailLine:
    at: datetime
    who: str
    source: str
    action: str
    record: str
    details: dict

    def as_json(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat()}


def _audited_records(case: Case) -> list:
    exports = EvidenceExport.objects.filter(subject_type=case.subject_type, subject_id=case.subject.pk)
    records = [case.subject, *case.alerts, case.visit, case.report, *case_holds(case), *exports]
    return [r for r in records if r is not None]


def audit_entries(case: Case) -> Any:
    match = Q(pk__in=[])
    for record in _audited_records(case):
        content_type = ContentType.objects.get_for_model(type(record))
        match |= Q(content_type=content_type, object_id=str(record.pk))
    return AuditEntry.objects.filter(match).select_related("content_type").order_by("at", "id")


def trail(case: Case) -> list[TrailLine]:
    lines = [
        TrailLine(
            e.at,
            e.username or "-",
            e.get_source_display(),
            e.get_action_display(),
            f"{e.content_type.model} #{e.object_id}: {e.object_repr}",
            e.changes,
        )
        for e in audit_entries(case)
    ]
    lines += [
        TrailLine(
            h.at,
            getattr(h.user, "username", "") or "-",
            _("Alert history"),
            h.get_action_display(),
            f"alert #{h.alert_id}",
            {"note": h.text} if h.text else {},
        )
        for h in case.history()
    ]
    return sorted(lines, key=lambda line: line.at)
