"""Concrete changes the scorecard proposes, computed from the period's closed alerts.

- A rule whose alerts are often duplicates: the cooldown that would have merged them. The
  gap of an alert is the time since the previous alert with the same grouping key ended;
  a cooldown at least as long as every duplicate's gap would have folded each into the
  alert before it. What that cooldown would also have merged among true alerts is said.
- A rule whose judged alerts are mostly false positives: review its zone and targets.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext as _

from .choices import Kind, Outcome

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
    """One rule on one camera and zone: its alerts' outcomes and gaps."""
    kind: str
    camera: str
    zone: str
    outcomes: list[str]
    gaps: list[float | None]

    def share(self, outcome: str) -> float:
        return self.outcomes.count(outcome) / len(self.outcomes)

    @property
    def judged(self) -> int:
        return sum(outcome in (Outcome.TRUE, Outcome.FALSE_POSITIVE, Outcome.DUPLICATE)
                   for outcome in self.outcomes)

    @property
    def label(self) -> str:
        return " ".join(str(part) for part in (self.camera, self.zone, Kind(self.kind).label) if part)


def _sources(alerts) -> list[Source]:
    previous_end = Window(Lag("last_seen_at"), partition_by=[F("group_key")],
                          order_by=F("first_seen_at").asc())
    rows = (alerts.annotate(previous_end=previous_end)
            .values_list("kind", "camera__code", "zone__code", "outcome", "first_seen_at", "previous_end")
            .order_by())
    sources: dict[tuple, Source] = defaultdict(lambda: None)
    for kind, camera, zone, outcome, first_seen, previous in rows:
        key = (kind, camera or "", zone or "")
        if sources[key] is None:
            sources[key] = Source(*key, [], [])
        sources[key].outcomes.append(outcome)
        sources[key].gaps.append((first_seen - previous).total_seconds() if previous else None)
    return [source for source in sources.values() if source is not None]


def _step_above(seconds: float) -> int:
    return next((step for step in COOLDOWN_STEPS if step >= seconds), int(seconds) + 1)


def cooldown_suggestion(source: Source) -> str | None:
    duplicate_gaps = [gap for gap, outcome in zip(source.gaps, source.outcomes, strict=True)
                      if outcome == Outcome.DUPLICATE and gap is not None]
    if len(source.outcomes) < MIN_ALERTS or source.share(Outcome.DUPLICATE) < DUPLICATE_SHARE \
            or not duplicate_gaps:
        return None
    proposed = _step_above(max(duplicate_gaps))
    also_true = sum(1 for gap, outcome in zip(source.gaps, source.outcomes, strict=True)
                    if outcome == Outcome.TRUE and gap is not None and gap <= proposed)
    current = current_cooldown(source.kind)
    text = _("cooldown %(current)s on %(source)s: %(share)d %% of its alerts were duplicates; "
             "%(proposed)d s would have merged them") % {
        "current": f"{current} s" if current is not None else _("(per rule)"), "source": source.label,
        "share": round(source.share(Outcome.DUPLICATE) * 100), "proposed": proposed}
    if also_true:
        text += _(" (and %(n)d true alerts with them)") % {"n": also_true}
    return text


def false_positive_suggestion(source: Source) -> str | None:
    if source.judged < MIN_ALERTS:
        return None
    share = source.outcomes.count(Outcome.FALSE_POSITIVE) / source.judged
    if share < FALSE_POSITIVE_SHARE:
        return None
    return _("%(source)s: %(share)d %% of %(n)d judged alerts were false positives; review the "
             "zone's targets, schedule or sensitivity") % {
        "source": source.label, "share": round(share * 100), "n": source.judged}


def suggestions(alerts) -> list[str]:
    found = []
    for source in sorted(_sources(alerts), key=lambda s: (s.kind, s.camera, s.zone)):
        found += [text for text in (cooldown_suggestion(source), false_positive_suggestion(source)) if text]
    return found
