"""A batch of plate reads applied as sets: passages, visits and the alerts they raise.

The processor hands anpr every plate read of a batch at once, in arrival order. The
passages and open visits those plates could touch are read in two queries; each read is
then applied in memory, in order, exactly as one read at a time would be (a repeated read
within the window adds to its passage, an entry opens a visit and closes an earlier one
left open, an exit closes the latest open visit of the plate or a probable misread of it,
else it is an orphan). At the end new passages and visits are one INSERT each (orphan
exits one more, into the misread inbox), closed
visits one compare-and-set UPDATE each, and the receivers of other apps hear of every
new row as from a save. All plate reads share one processing partition, so nothing else
moves these rows meanwhile; staff editing a visit at that moment fails the
compare-and-set, and the batch is retried one read at a time on fresh rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from . import misreads, plates
from .models import DayFigure, Gate, GatePassage, Match, Visit, local_date

if TYPE_CHECKING:
    from .services import Identity


class VisitChanged(Exception):
    """A visit this batch closes was changed by someone else meanwhile."""


@dataclass
class PlateBatch:
    """The rows a batch of reads can touch, kept current as the reads are applied."""

    passages: list[GatePassage]
    open_visits: list[Visit]
    new_passages: list[GatePassage] = field(default_factory=list)
    new_visits: list[Visit] = field(default_factory=list)
    closed: dict[int, dict] = field(default_factory=dict)  # visit pk -> its changes
    repeats: dict[int, datetime] = field(default_factory=dict)  # passage pk -> latest read

    @classmethod
    def load(cls, reads: list[tuple[str, datetime]]) -> PlateBatch:
        """``reads``: (canonical plate, moment) of every read plate in the batch."""
        candidates = set()
        for plate, _moment in reads:
            candidates |= {plate} | plates.probable_variants(plate)
        if not reads:
            return cls([], [])
        window = passage_window()
        moments = [moment for _plate, moment in reads]
        passages = GatePassage.objects.filter(
            plate__in=candidates,
            last_read_at__gte=min(moments) - window,
            occurred_at__lte=max(moments) + window,
        )
        return cls(list(passages), list(Visit.objects.open().for_plates(candidates)))

    def passage_around(self, gate: str, candidates: set[str], moment: datetime) -> GatePassage | None:
        window = passage_window()
        near = [
            p
            for p in self.passages
            if p.gate == gate
            and p.plate in candidates
            and p.last_read_at >= moment - window
            and p.occurred_at <= moment + window
        ]
        return max(near, key=lambda p: p.last_read_at, default=None)

    def add_read(self, passage: GatePassage, moment: datetime) -> None:
        passage.reads += 1
        passage.last_read_at = max(passage.last_read_at, moment)
        if passage.pk is not None:
            self.repeats[passage.pk] = max(self.repeats.get(passage.pk, moment), moment)

    def add_passage(self, passage: GatePassage) -> None:
        passage.local_date = local_date(passage.occurred_at)
        self.passages.append(passage)
        self.new_passages.append(passage)

    def open_of(self, candidates: set[str]) -> list[Visit]:
        return [v for v in self.open_visits if v.plate in candidates and v.status == Visit.Status.OPEN]

    def change(self, visit: Visit, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(visit, name, value)
        if visit.pk is not None:
            self.closed.setdefault(visit.pk, {}).update(changes)

    def add_visit(self, visit: Visit) -> None:
        self.new_visits.append(visit)
        self.open_visits.append(visit)

    def save(self) -> None:
        GatePassage.objects.bulk_create(self.new_passages)
        for pk, moment in self.repeats.items():
            GatePassage.objects.filter(pk=pk).update(
                reads=F("reads") + 1, last_read_at=Greatest("last_read_at", Value(moment))
            )
        for pk, changes in self.closed.items():
            if not Visit.objects.filter(pk=pk, status=Visit.Status.OPEN).update(**changes):
                raise VisitChanged(pk)
        Visit.objects.bulk_create(self.new_visits)
        orphan_exits = [v.exit for v in self.new_visits if v.status == Visit.Status.ORPHAN_EXIT]
        if orphan_exits:
            misreads.queue_exits(orphan_exits)
        for row in [*self.new_passages, *self.new_visits]:
            post_save.send(
                sender=type(row),
                instance=row,
                created=True,
                update_fields=None,
                raw=False,
                using=row._state.db,
            )
        self._forget_past_days()

    def _forget_past_days(self) -> None:
        days = {p.local_date for p in self.new_passages}
        days |= {changes["exit_date"] for changes in self.closed.values() if "exit_date" in changes}
        for day in days:
            DayFigure.forget(day)


def passage_window() -> timedelta:
    return timedelta(seconds=settings.ANPR_PASSAGE_WINDOW_SECONDS)


def open_visit(batch: PlateBatch, passage: GatePassage, identity: Identity) -> Visit:
    """An entry opens a visit; an earlier visit of the same plate still open is stale."""
    moment = passage.occurred_at
    open_visits = batch.open_of({passage.plate})
    for earlier in [v for v in open_visits if v.entered_at < moment]:
        batch.change(
            earlier,
            status=Visit.Status.STALE,
            closed_at=moment,
            close_note=_("re-entered without an exit")[:200],
        )
    visit = Visit(
        plate=passage.plate,
        vehicle=identity.vehicle,
        category=identity.category,
        entry=passage,
        entered_at=moment,
        entry_date=passage.local_date,
    )
    if any(v.entered_at > moment for v in open_visits):
        # Delivered late (camera backlog): a later entry already holds the open visit.
        visit.status, visit.closed_at = Visit.Status.STALE, timezone.now()
        visit.close_note = _("entry received after a later entry")[:200]
    batch.add_visit(visit)
    return visit


def close_visit(batch: PlateBatch, passage: GatePassage) -> Visit:
    """An exit closes the latest open visit of the plate (tolerant match), else is an orphan."""
    moment = passage.occurred_at
    for candidates, match in (
        ({passage.plate}, Match.EXACT),
        (plates.probable_variants(passage.plate), Match.PROBABLE),
    ):
        earlier = [v for v in batch.open_of(candidates) if v.entered_at <= moment]
        if earlier:
            visit = max(earlier, key=lambda v: v.entered_at)
            batch.change(
                visit,
                status=Visit.Status.CLOSED,
                exit=passage,
                exited_at=moment,
                exit_date=local_date(moment),
                exit_match=match,
                duration_seconds=max(0, int((moment - visit.entered_at).total_seconds())),
                closed_at=timezone.now(),
            )
            return visit
    orphan = Visit(
        plate=passage.plate,
        vehicle=passage.vehicle,
        category=passage.category,
        status=Visit.Status.ORPHAN_EXIT,
        exit=passage,
        exited_at=moment,
        exit_date=passage.local_date,
        exit_match=Match.NONE,
    )
    batch.new_visits.append(orphan)
    return orphan


def update_visits(batch: PlateBatch, passage: GatePassage, identity: Identity) -> Visit:
    if passage.gate == Gate.ENTRY:
        return open_visit(batch, passage, identity)
    return close_visit(batch, passage)
