"""Rule backtest: replay the stored events of the last days through a draft rule.

A replay (one per rule family, registered by the app that owns the rule: zone rules here,
capacity in parking, overstay in anpr) streams its rows in keyset chunks and asks the real
decision functions what the draft and the current rule would each have raised. Both sides
go through the same replay over the same rows, so they compare like for like; the alerts
the current rule really raised (the Alert table) are shown next to them. Nothing here
writes an alert, a delivery or a stream message.

The replay assumes a raised alert stays open through its cooldown; an alert a guard
closes sooner would let the next occurrence open a new one, so real counts can be higher.
"""

from __future__ import annotations

import copy
import logging
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from damanat import numbers

from .choices import Kind
from .models import Alert, BacktestRun
from .replays import replays
from .services import is_repeat

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parking.models import Zone

logger = logging.getLogger(__name__)
CHUNK_SIZE = 20_000
EXAMPLES = 10
DRAFT, CURRENT = "draft", "current"
ZONE_FIELDS = ("kind", "counted_targets", "line_is_violation", "active_from", "active_until", "capacity")


class Replay(ABC):
    """One rule family. Subclasses set ``rule``, ``label``, ``kinds``, ``fields`` (the primary
    key first) and, in ``__init__``, ``rows``: the period's rows this rule decides on."""

    rule = ""
    label = ""
    position = 0  # in the form's list of rules
    kinds: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    needs_zone = False

    def __init__(self, run: BacktestRun, since: datetime, until: datetime) -> None:
        self.run, self.since, self.until = run, since, until
        self.changes = run.params.get("changes", {})
        self.rows = None
        if run.zone is None and (self.needs_zone or set(self.changes) & set(ZONE_FIELDS)):
            raise LookupError("the draft's zone no longer exists")

    def total(self) -> int:
        """How many rows ``chunks`` will stream: the progress bar's 100 %."""
        return self.rows.count()

    def chunks(self) -> Iterator[list]:
        return keyset_chunks(self.rows, self.fields)

    @abstractmethod
    def apply(self, chunk: list, tally: Tally) -> None:
        """Decide each row for both sides and count what each would have raised."""

    def recorded(self) -> Any:
        """The real alerts of this rule in the period, for the comparison."""
        alerts = Alert.objects.of_kind(*self.kinds).filter(
            first_seen_at__gte=self.since, first_seen_at__lt=self.until
        )
        return alerts.filter(zone_id=self.run.zone_id) if self.run.zone_id else alerts


class Cooldown:
    """The cooldown grouping of ``raise_alerts``, in memory: which occurrences open an alert."""

    def __init__(self, seconds: int) -> None:
        self.window = timedelta(seconds=seconds)
        self.last_seen: dict = {}

    def opens(self, key: Any, moment: datetime) -> bool:
        last = self.last_seen.get(key)
        self.last_seen[key] = moment if last is None else max(last, moment)
        return last is None or not is_repeat(last, moment, self.window)


class Tally:
    """Alerts each side would have raised, per facility day and per camera, with examples."""

    def __init__(self) -> None:
        self.by_day: dict[str, Counter] = defaultdict(Counter)
        self.by_camera: dict[str, Counter] = defaultdict(Counter)
        self.examples: list[dict] = []
        self._days: dict[int, str] = {}

    def add(self, side: str, moment: datetime, camera: str, example: Any = None) -> None:
        """``example``: a function giving the example's facts, called for the first few only."""
        self.by_day[self._day(moment)][side] += 1
        self.by_camera[camera or "—"][side] += 1
        if example is not None and side == DRAFT and len(self.examples) < EXAMPLES:
            self.examples.append({**example(), "at": moment.isoformat(), "camera": camera})

    def _day(self, moment: datetime) -> str:
        # Every UTC offset is a whole number of quarter hours, so a quarter hour lies in one day.
        quarter = int(moment.timestamp()) // 900
        if quarter not in self._days:
            self._days[quarter] = timezone.localtime(moment).date().isoformat()
        return self._days[quarter]

    def results(self, replay: Replay, replayed: int) -> dict:
        recorded_days, recorded_cameras = _recorded(replay.recorded())
        for day, count in recorded_days.items():
            self.by_day[day]["recorded"] += count
        for camera, count in recorded_cameras.items():
            self.by_camera[camera]["recorded"] += count
        return {
            "since": replay.since.isoformat(),
            "until": replay.until.isoformat(),
            "replayed": replayed,
            "totals": _sum(self.by_day.values()),
            "by_day": _rows("day", self.by_day),
            "by_camera": _rows("camera", self.by_camera),
            "examples": self.examples,
        }


def _recorded(alerts: Any) -> tuple[dict, dict]:
    days = (
        alerts.annotate(day=TruncDate("first_seen_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    cameras = alerts.values("camera__code").annotate(n=Count("id")).order_by()
    return (
        {row["day"].isoformat(): row["n"] for row in days},
        {row["camera__code"] or "—": row["n"] for row in cameras},
    )


def _sum(counters: Any) -> dict:
    total = Counter()
    for counter in counters:
        total.update(counter)
    return {side: total.get(side, 0) for side in (DRAFT, CURRENT, "recorded")}


def _rows(name: str, groups: dict[str, Counter]) -> list[dict]:
    return [{name: key, **_sum([groups[key]])} for key in sorted(groups)]


def keyset_chunks(
    queryset: QuerySet[Any], fields: tuple[str, ...], size: int | None = None
) -> Iterator[list[tuple]]:
    """Rows as tuples (``fields[0]`` is the primary key), in key order, ``size`` at a time:
    each chunk is one indexed range query, however far into the table it is."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.order_by("pk").values_list(*fields)[: size or CHUNK_SIZE])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def in_id_range(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The rows between the first and the last id there are now: rows arriving during the
    run stay out, and each chunk's range scan starts inside the period."""
    bounds = queryset.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return queryset.none()
    return queryset.filter(pk__range=(bounds["first"], bounds["last"]))


def draft_zone(zone: Zone, changes: dict) -> Zone:
    """A copy of the zone with the draft's settings, never saved: the rules read it as is."""
    draft = copy.copy(zone)
    for name in ZONE_FIELDS:
        if changes.get(name) is not None:
            value = changes[name]
            setattr(draft, name, time.fromisoformat(value) if name.startswith("active_") else value)
    return draft


def shown(run: BacktestRun) -> dict:
    """The results as the admin and the staff page show them: labelled rows, real times."""
    results = run.results or {}
    days = [
        {**row, "label": numbers.when(date.fromisoformat(row["day"]), "DATE")}
        for row in results.get("by_day", [])
    ]
    cameras = [{**row, "label": row["camera"]} for row in results.get("by_camera", [])]
    examples = [
        {
            **example,
            "at": datetime.fromisoformat(example["at"]),
            "kind_label": Kind(example["kind"]).label,
            "where": example.get("zone") or example.get("plate", ""),
        }
        for example in results.get("examples", [])
    ]
    return {"sections": [(_("Per day"), days), (_("Per camera"), cameras)], "examples": examples}


def period(days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    until = now or timezone.now()
    return until - timedelta(days=days), until


def run_backtest(run_id: int) -> None:
    """The task's body: replay, recording progress after every chunk, then the results."""
    run = BacktestRun.objects.select_related("zone").get(pk=run_id)
    if run.status != BacktestRun.Status.QUEUED:
        return  # a redelivered task: the run is already going or done
    try:
        replay = replays()[run.rule](run, *period(run.days))
        run.start(replay.total())
        tally = Tally()
        for chunk in replay.chunks():
            replay.apply(chunk, tally)
            run.advance(len(chunk))
        run.finish(tally.results(replay, run.progress_done))
    except Exception as exc:  # noqa: BLE001 — the run says why it stopped instead of hanging
        logger.exception("backtest %s failed", run.pk)
        run.fail(f"{type(exc).__name__}: {exc}")
