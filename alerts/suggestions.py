"""Concrete changes the scorecard proposes, computed from the period's closed alerts.

- A rule whose alerts are often duplicates: the cooldown that would have merged them. The
  gap of an alert is the time since the previous alert with the same grouping key ended;
  a cooldown at least as long as every duplicate's gap would have folded each into the
  alert before it. What that cooldown would also have merged among true alerts is said.
- A rule whose judged alerts are mostly false positives: review its zone and targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext as _

from .choices import Kind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Alert

DUPLICATE_SHARE = 0.2  # suggest a cooldown when at least this share are duplicates
FALSE_POSITIVE_SHARE = 0.5
MIN_ALERTS = 5
COOLDOWN_STEPS = (30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400)


def current_cooldown(kind: str) -> int | None:
    """The cooldown the rule runs with now, where one setting governs it."""
    by_kind = {
        Kind.INTRUSION: settings.INTRUSION_COOLDOWN_SECONDS,
        Kind.VIOLATION: settings.INTRUSION_COOLDOWN_SECONDS,
        Kind.SUSPICIOUS_ACTIVITY: settings.DETECTOR_ALERT_COOLDOWN_SECONDS,
        Kind.UNKNOWN_VEHICLE: settings.ANPR_ALERT_COOLDOWN_SECONDS,
        Kind.BLOCKED_VEHICLE: settings.ANPR_ALERT_COOLDOWN_SECONDS,
        Kind.PERMIT_EXPIRED: settings.ANPR_ALERT_COOLDOWN_SECONDS,
    }
    return by_kind.get(kind)


@dataclass
class Source:
    """One rule on one camera and zone: how its alerts were judged, and the duplicates' gaps."""

    kind: str
    camera: str
    zone: str
    raised: int
    true: int
    false_positive: int
    duplicate: int
    longest_duplicate_gap: float | None

    @property
    def judged(self) -> int:
        return self.true + self.false_positive + self.duplicate

    @property
    def label(self) -> str:
        return " ".join(str(part) for part in (self.camera, self.zone, Kind(self.kind).label) if part)


def _with_gaps(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """The alerts with ``gap``: seconds since the previous alert of the same key ended."""
    previous_end = Window(
        Lag("last_seen_at"), partition_by=[F("group_key")], order_by=F("first_seen_at").asc()
    )
    return (
        alerts.annotate(previous_end=previous_end)
        .values("kind", "outcome", "camera_id", "zone_id", "previous_end", "first_seen_at")
        .order_by()
    )


SOURCES_SQL = """
SELECT a.kind, COALESCE(c.code, ''), COALESCE(z.code, ''), COUNT(*),
       COUNT(*) FILTER (WHERE a.outcome = 'true'), COUNT(*) FILTER (WHERE a.outcome = 'false_positive'),
       COUNT(*) FILTER (WHERE a.outcome = 'duplicate'),
       MAX(EXTRACT(EPOCH FROM a.first_seen_at - a.previous_end)) FILTER (WHERE a.outcome = 'duplicate'),
       {true_within}
FROM ({inner}) a
LEFT JOIN cameras_camera c ON c.id = a.camera_id
LEFT JOIN parking_zone z ON z.id = a.zone_id
GROUP BY a.kind, c.code, z.code, a.camera_id, a.zone_id
ORDER BY a.kind, c.code, z.code
"""

# For each cooldown step, how many true alerts came that soon after the previous one ended.
TRUE_WITHIN = ", ".join(
    f"COUNT(*) FILTER (WHERE a.outcome = 'true' AND a.first_seen_at - a.previous_end <= "
    f"interval '{step} seconds')"
    for step in COOLDOWN_STEPS
)


def _sources(alerts: QuerySet[Alert]) -> list[tuple[Source, dict[int, int]]]:
    """Every rule, camera and zone of the period, with its true alerts within each step."""
    inner, params = _with_gaps(alerts).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(SOURCES_SQL.format(inner=inner, true_within=TRUE_WITHIN), params)
        rows = cursor.fetchall()
    return [(Source(*row[:8]), dict(zip(COOLDOWN_STEPS, row[8:], strict=True))) for row in rows]


def _step_above(seconds: float) -> int:
    return next((step for step in COOLDOWN_STEPS if step >= seconds), int(seconds) + 1)


def cooldown_suggestion(source: Source, true_within: dict[int, int]) -> str | None:
    share = source.duplicate / source.raised
    if source.raised < MIN_ALERTS or share < DUPLICATE_SHARE or source.longest_duplicate_gap is None:
        return None
    proposed = _step_above(max(source.longest_duplicate_gap, 1))
    current = current_cooldown(source.kind)
    if current is not None and proposed <= current:
        return None  # the cooldown already covers them: the duplicates come from elsewhere
    text = _(
        "cooldown %(current)s on %(source)s: %(share)d %% of its alerts were duplicates; "
        "%(proposed)d s would have merged them"
    ) % {
        "current": f"{current} s" if current is not None else _("(per rule)"),
        "source": source.label,
        "share": round(share * 100),
        "proposed": proposed,
    }
    also_true = true_within.get(proposed, 0)
    if also_true:
        text += _(" (and %(n)d true alerts with them)") % {"n": also_true}
    return text


def false_positive_suggestion(source: Source) -> str | None:
    if source.judged < MIN_ALERTS:
        return None
    share = source.false_positive / source.judged
    if share < FALSE_POSITIVE_SHARE:
        return None
    return _(
        "%(source)s: %(share)d %% of %(n)d judged alerts were false positives; review the "
        "zone's targets, schedule or sensitivity"
    ) % {"source": source.label, "share": round(share * 100), "n": source.judged}


def suggestions(alerts: QuerySet[Alert]) -> list[str]:
    found = []
    for source, true_within in _sources(alerts):
        texts = (cooldown_suggestion(source, true_within), false_positive_suggestion(source))
        found += [text for text in texts if text]
    return found
