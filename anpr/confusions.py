"""Which characters each camera mistakes for which, and the plate distance they weigh.

Two reads of one vehicle differ where one camera misread the plate. Their distance is a
weighted edit distance: substituting ``a`` (read by camera A) for ``b`` (read by camera B)
costs 1 − P, where P is the likelier of "A read a where the plate said b" and "B read b
where the plate said a", each smoothed towards a global prior of the common OCR
confusions (settings.ANPR_LIKELY_CONFUSIONS) until the camera has counts of its own.
A missing or extra character costs 1. Every resolved misread adds its aligned characters
to the counts of the camera that made each read (``learn``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import GatePassage, Match, PlateConfusion

# P(true | read) of a likely confusion before any count, and how many resolved reads of
# a character that prior weighs: after a few resolutions the camera's own counts lead.
PRIOR_LIKELIHOOD = 0.25
PRIOR_WEIGHT = 4.0
GAP_COST = 1.0
# A read this much more confident than the other is taken as the true plate.
CONFIDENCE_MARGIN = 5.0


@lru_cache(maxsize=8)
def _likely(table: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    pairs = set()
    for group in table:
        chars = [c for c in group.upper() if c.isalnum()]
        pairs |= {(a, b) for a in chars for b in chars if a != b}
    return frozenset(pairs)


def likely_confusions() -> frozenset[tuple[str, str]]:
    return _likely(tuple(settings.ANPR_LIKELY_CONFUSIONS))


@dataclass
class Confusions:
    """The counts of some cameras, read once: (camera, read, true) -> count."""

    counts: dict[tuple[int | None, str, str], int] = field(default_factory=dict)
    totals: dict[tuple[int | None, str], int] = field(default_factory=dict)
    likely: frozenset[tuple[str, str]] = field(default_factory=likely_confusions)
    # Every ranking asks for the same few pairs thousands of times.
    _costs: dict[tuple, float] = field(default_factory=dict, repr=False)

    @classmethod
    def for_cameras(cls, camera_ids: Iterable[int | None]) -> Confusions:
        confusions = cls()
        rows = PlateConfusion.objects.filter(camera_id__in={c for c in camera_ids if c is not None})
        for camera_id, read, true, count in rows.values_list("camera_id", "read", "true", "count"):
            confusions.add(camera_id, read, true, count)
        return confusions

    def add(self, camera_id: int | None, read: str, true: str, count: int = 1) -> None:
        self.counts[camera_id, read, true] = self.counts.get((camera_id, read, true), 0) + count
        self.totals[camera_id, read] = self.totals.get((camera_id, read), 0) + count
        self._costs.clear()

    def likelihood(self, camera_id: int | None, read: str, true: str) -> float:
        """Smoothed P(the plate said ``true`` | the camera read ``read``)."""
        prior = PRIOR_LIKELIHOOD if (read, true) in self.likely else 0.0
        seen = self.counts.get((camera_id, read, true), 0)
        return (seen + PRIOR_WEIGHT * prior) / (self.totals.get((camera_id, read), 0) + PRIOR_WEIGHT)

    def substitution(self, a: str, camera_a: int | None, b: str, camera_b: int | None) -> float:
        if a == b:
            return 0.0
        key = (a, camera_a, b, camera_b)
        cost = self._costs.get(key)
        if cost is None:
            cost = self._costs[key] = 1.0 - max(
                self.likelihood(camera_a, a, b), self.likelihood(camera_b, b, a)
            )
        return cost


def _table(a: str, b: str, cost: Callable[[str, str], float]) -> list[list[float]]:
    rows = [[j * GAP_COST for j in range(len(b) + 1)]]
    for i, char_a in enumerate(a, 1):
        row = [i * GAP_COST]
        for j, char_b in enumerate(b, 1):
            row.append(
                min(
                    rows[i - 1][j] + GAP_COST,
                    row[j - 1] + GAP_COST,
                    rows[i - 1][j - 1] + cost(char_a, char_b),
                )
            )
        rows.append(row)
    return rows


def plate_distance(
    a: str, camera_a: int | None, b: str, camera_b: int | None, confusions: Confusions
) -> float:
    """Weighted edit distance between plate ``a`` read by one camera and ``b`` by another."""

    def cost(x: Any, y: Any) -> Any:
        return confusions.substitution(x, camera_a, y, camera_b)

    return _table(a, b, cost)[-1][-1]


def align(a: str, b: str, cost: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """The cheapest alignment of two plates as character pairs ("" where one has none)."""
    rows = _table(a, b, cost)
    i, j, pairs = len(a), len(b), []
    while i or j:
        if i and j and rows[i][j] == rows[i - 1][j - 1] + cost(a[i - 1], b[j - 1]):
            i, j = i - 1, j - 1
            pairs.append((a[i], b[j]))
        elif i and rows[i][j] == rows[i - 1][j] + GAP_COST:
            i -= 1
            pairs.append((a[i], ""))
        else:
            j -= 1
            pairs.append(("", b[j]))
    return pairs[::-1]


def true_read(entry: GatePassage, exit_: GatePassage) -> GatePassage | None:
    """Which of the two reads shows the plate as it is: the registered one, else the clearly
    more confident one; None when nothing tells them apart."""
    registered = [p for p in (entry, exit_) if p.match == Match.EXACT]
    if len(registered) == 1:
        return registered[0]
    if entry.confidence is not None and exit_.confidence is not None:
        if abs(entry.confidence - exit_.confidence) >= CONFIDENCE_MARGIN:
            return entry if entry.confidence > exit_.confidence else exit_
    return None


def observations(entry: GatePassage, exit_: GatePassage, confusions: Confusions) -> Counter:
    """(camera, read, true) counts that pairing these two reads of one vehicle teaches."""
    truth = true_read(entry, exit_)
    camera_e, camera_x = entry.camera_id, exit_.camera_id
    seen: Counter = Counter()

    def cost(a: Any, b: Any) -> Any:
        return confusions.substitution(a, camera_e, b, camera_x)

    for e, x in align(entry.plate, exit_.plate, cost):
        if not (e and x):
            continue  # a dropped character says nothing about which one it was taken for
        said = _plate_said(e, x, truth, entry, (camera_e, camera_x), confusions)
        if said is None:  # either camera may have erred: each learns the other's character
            seen[camera_e, e, x] += 1
            seen[camera_x, x, e] += 1
        else:
            seen[camera_e, e, said] += 1
            seen[camera_x, x, said] += 1
    return seen


def _plate_said(e: str, x: str, truth: Any, entry: Any, cameras: Any, confusions: Confusions) -> str | None:
    """The character on the plate where the entry read ``e`` and the exit read ``x``."""
    if e == x or truth is entry:
        return e
    if truth is not None:
        return x
    # Neither read is known right: blame the camera clearly known for this very mistake.
    entry_erred = confusions.likelihood(cameras[0], e, x)
    exit_erred = confusions.likelihood(cameras[1], x, e)
    if entry_erred > 2 * exit_erred:
        return x
    if exit_erred > 2 * entry_erred:
        return e
    return None


def learn(entry: GatePassage, exit_: GatePassage) -> Counter:
    """Add what a resolved pair teaches to the cameras' counts (atomic increments)."""
    confusions = Confusions.for_cameras([entry.camera_id, exit_.camera_id])
    seen = observations(entry, exit_, confusions)
    known = [(camera, read, true) for camera, read, true in seen if camera is not None]
    PlateConfusion.objects.bulk_create(
        [PlateConfusion(camera_id=camera, read=read, true=true) for camera, read, true in known],
        ignore_conflicts=True,
    )
    now = timezone.now()
    for camera, read, true in known:
        PlateConfusion.objects.filter(camera_id=camera, read=read, true=true).update(
            count=F("count") + seen[camera, read, true], updated_at=now
        )
    return seen
