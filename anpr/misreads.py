"""The misread inbox: unmatched entries and exits wait for staff with their likeliest matches.

An exit without entry is queued by the batch that records it (``queue_exits``, one INSERT
per batch); entries whose visit never closed, or closed stale, are queued by the periodic
``sweep``. An item's candidates are the opposite unmatched passages within
ANPR_MISREAD_WINDOW_HOURS, ranked by the plate distance the two cameras' confusions weigh
(anpr/confusions.py), then by time apart and the vehicle's colour, type and brand.
Resolving pairs the entry and exit into one visit (``Visit.pair_with``) and teaches the
cameras what they misread; dismissing only closes the item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cameras.models import CameraEvent

from . import confusions
from .models import Gate, GatePassage, Match, MisreadReview, Visit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

RESOLVE_PERMISSIONS = ("anpr.change_misreadreview", "anpr.change_visit")
TOP = 3
# Two reads differing in more characters than this are not offered as one vehicle.
MAX_DIFFERENT_CHARACTERS = 3
# Score = plate distance + these: being a whole window apart weighs like half a character,
# a differing attribute like half a character, an agreeing one takes a tenth off.
TIME_WEIGHT = 0.5
ATTRIBUTE_MISMATCH = 0.5
ATTRIBUTE_MATCH = 0.1
UNKNOWN_ATTRIBUTES = {"", "unknown", "other", "none", "0"}


class CannotResolve(Exception):
    """The item is settled already, or the chosen passage cannot be its match."""


def may_resolve(user: User | AnonymousUser) -> bool:
    """Resolving pairs visits by hand: the same permission as pairing in the visits admin."""
    return user.is_authenticated and user.has_perms(RESOLVE_PERMISSIONS)


def window() -> timedelta:
    return timedelta(hours=settings.ANPR_MISREAD_WINDOW_HOURS)


def queue_exits(passages: list[GatePassage]) -> None:
    """Exits without entry just recorded by a batch: one item each."""
    MisreadReview.objects.bulk_create(
        [MisreadReview(passage=p, kind=Gate.EXIT) for p in passages], ignore_conflicts=True
    )


def sweep(now: datetime | None = None) -> int:
    """Queue entries left open past ANPR_MISREAD_OPEN_HOURS or closed stale (and any exit
    without entry not queued yet); close items that a later read or hand pairing matched."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.ANPR_MISREAD_LOOKBACK_DAYS)
    overdue = now - timedelta(hours=settings.ANPR_MISREAD_OPEN_HOURS)
    unqueued = Visit.objects.exclude(entry__misread_review__isnull=False)
    entries = (
        unqueued.filter(entry__isnull=False, entered_at__gte=since)
        .filter(Q(status=Visit.Status.STALE) | Q(status=Visit.Status.OPEN, entered_at__lt=overdue))
        .values_list("entry_id", flat=True)
    )
    exits = (
        Visit.objects.filter(status=Visit.Status.ORPHAN_EXIT, exited_at__gte=since)
        .exclude(exit__misread_review__isnull=False)
        .values_list("exit_id", flat=True)
    )
    items = [MisreadReview(passage_id=pk, kind=Gate.ENTRY, created_at=now) for pk in entries]
    items += [MisreadReview(passage_id=pk, kind=Gate.EXIT, created_at=now) for pk in exits]
    MisreadReview.objects.bulk_create(items, ignore_conflicts=True)
    MisreadReview.objects.settled_elsewhere().update(
        status=MisreadReview.Status.RESOLVED, resolved_at=now, note=_("matched by a later read")[:200]
    )
    return len(items)


def inbox() -> QuerySet[MisreadReview]:
    return (
        MisreadReview.objects.pending()
        .select_related("passage__camera")
        .prefetch_related(*_passage_extras("passage__"))
        .order_by("-passage__occurred_at", "-id")
    )


def _passage_extras(prefix: str = "") -> list:
    """The event's attributes and pictures, without its raw body."""
    attributes = CameraEvent.objects.only("id", "vehicle_color", "vehicle_type", "extra")
    return [Prefetch(f"{prefix}event", attributes), f"{prefix}event__pictures"]


@dataclass
class Candidate:
    passage: GatePassage
    distance: float  # plate distance alone
    score: float  # what candidates are ranked by: lower is likelier
    seconds_apart: int

    @property
    def minutes_apart(self) -> int:
        return self.seconds_apart // 60


def attributes(passage: GatePassage) -> dict[str, str]:
    """Colour, type and brand the camera reported, where it reported them."""
    event = passage.event
    if event is None:
        return {}
    found = {
        "colour": event.vehicle_color,
        "type": event.vehicle_type,
        "brand": str((event.extra or {}).get("vehicle_brand", "")),
    }
    return {
        name: value.strip().lower()
        for name, value in found.items()
        if value.strip().lower() not in UNKNOWN_ATTRIBUTES
    }


class Ranker:
    """Scores candidates of many items with one read of the cameras' confusions."""

    def __init__(self, camera_ids: Iterable[int | None]) -> None:
        self.confusions = confusions.Confusions.for_cameras(camera_ids)

    def rank(self, review: MisreadReview, pool: list[GatePassage], top: int = TOP) -> list[Candidate]:
        passage = review.passage
        near = [p for p in pool if _in_window(passage, p) and _few_differences(passage.plate, p.plate)]
        ranked = [self.candidate(passage, p) for p in near]
        ranked.sort(key=lambda c: (c.score, abs(c.passage.occurred_at - passage.occurred_at), c.passage.pk))
        return ranked[:top]

    def candidate(self, passage: GatePassage, other: GatePassage) -> Candidate:
        distance = confusions.plate_distance(
            passage.plate, passage.camera_id, other.plate, other.camera_id, self.confusions
        )
        seconds = abs((other.occurred_at - passage.occurred_at).total_seconds())
        apart = min(seconds / window().total_seconds(), 1.0)
        score = distance + TIME_WEIGHT * apart + _attribute_term(passage, other)
        return Candidate(other, round(distance, 3), round(score, 3), int(seconds))


def _in_window(passage: GatePassage, other: GatePassage) -> bool:
    if other.gate == passage.gate:
        return False
    entry, exit_ = (passage, other) if passage.gate == Gate.ENTRY else (other, passage)
    return entry.occurred_at <= exit_.occurred_at <= entry.occurred_at + window()


def _few_differences(a: str, b: str) -> bool:
    """Cheap bound before the edit distance: characters one plate has and the other lacks."""
    ca, cb = Counter(a), Counter(b)
    return max(sum((ca - cb).values()), sum((cb - ca).values())) <= MAX_DIFFERENT_CHARACTERS


def _attribute_term(a: GatePassage, b: GatePassage) -> float:
    mine, theirs = attributes(a), attributes(b)
    shared = mine.keys() & theirs.keys()
    return sum(-ATTRIBUTE_MATCH if mine[k] == theirs[k] else ATTRIBUTE_MISMATCH for k in shared)


def unmatched_entries(first: datetime, last: datetime) -> QuerySet[GatePassage]:
    """Entries whose visit is open or closed stale, read between ``first`` and ``last``."""
    return (
        GatePassage.objects.entries()
        .exclude(plate="")
        .filter(
            occurred_at__gte=first,
            occurred_at__lte=last,
            visit_entered__status__in=[Visit.Status.OPEN, Visit.Status.STALE],
        )
    )


def unmatched_exits(first: datetime, last: datetime) -> QuerySet[GatePassage]:
    return (
        GatePassage.objects.exits()
        .exclude(plate="")
        .filter(occurred_at__gte=first, occurred_at__lte=last, visit_exited__status=Visit.Status.ORPHAN_EXIT)
    )


def candidates_for(reviews: list[MisreadReview], top: int = TOP) -> dict[int, list[Candidate]]:
    """Each item's best matches; the opposite unmatched passages are read once for all items."""
    if not reviews:
        return {}
    pool = _pool(reviews)
    ranker = Ranker({r.passage.camera_id for r in reviews} | {p.camera_id for p in pool})
    return {review.pk: ranker.rank(review, pool, top) for review in reviews}


def _pool(reviews: list[MisreadReview]) -> list[GatePassage]:
    moments = {kind: [r.passage.occurred_at for r in reviews if r.kind == kind] for kind in Gate.values}
    queries = []
    if moments[Gate.ENTRY]:
        queries.append(unmatched_exits(min(moments[Gate.ENTRY]), max(moments[Gate.ENTRY]) + window()))
    if moments[Gate.EXIT]:
        queries.append(unmatched_entries(min(moments[Gate.EXIT]) - window(), max(moments[Gate.EXIT])))
    pool = []
    for query in queries:
        pool += query.select_related("camera", "vehicle").prefetch_related(*_passage_extras())
    return pool


@transaction.atomic
def resolve(review: MisreadReview, candidate: GatePassage, by: User | None) -> Visit:
    """Pair the item's passage with ``candidate`` into one visit and learn the misread."""
    review = MisreadReview.objects.select_for_update().select_related("passage").get(pk=review.pk)
    if review.status != MisreadReview.Status.OPEN:
        raise CannotResolve(_("This item was settled already."))
    if candidate.gate == review.passage.gate or not candidate.plate:
        raise CannotResolve(_("Choose a read at the other gate."))
    entry, exit_ = (review.passage, candidate) if review.kind == Gate.ENTRY else (candidate, review.passage)
    visit = _pair(entry, exit_, by)
    confusions.learn(entry, exit_)
    note = _("resolved as the same vehicle")
    review.settle(MisreadReview.Status.RESOLVED, by=by, match=candidate, note=note)
    # The match may wait in the inbox too, as the opposite orphan.
    MisreadReview.objects.open().filter(passage=candidate).update(
        status=MisreadReview.Status.RESOLVED,
        resolved_by=by,
        resolved_at=review.resolved_at,
        match=review.passage,
        note=note,
    )
    return visit


def _pair(entry: GatePassage, exit_: GatePassage, by: User | None) -> Visit:
    visit = Visit.objects.select_for_update().filter(entry=entry).first()
    orphan = Visit.objects.select_for_update().filter(exit=exit_).first()
    if visit is None or orphan is None:
        raise CannotResolve(_("Choose a read at the other gate."))
    try:
        visit.pair_with(orphan, note=_("misread resolved by %(user)s") % {"user": by})
    except ValueError as exc:
        raise CannotResolve(str(exc))
    if exit_.match == Match.EXACT and entry.match != Match.EXACT:
        # The exit read the registered plate: the visit is that vehicle's.
        Visit.objects.filter(pk=visit.pk).update(
            plate=exit_.plate, vehicle=exit_.vehicle, category=exit_.category
        )
        visit.refresh_from_db()
    return visit


def dismiss(review: MisreadReview, by: User | None) -> bool:
    return review.settle(MisreadReview.Status.DISMISSED, by=by, note=_("dismissed"))
