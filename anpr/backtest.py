"""Backtest of the overstay alert: the visitors' default stay limit, replayed over the visits
that began in the period through ``services.overstayed`` and ``models.stay_limit``.

A visit stays open until its exit, or until it was closed as stale; the sweep would have
alerted once, when the limit passed while it was still open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from alerts.backtest import CURRENT, DRAFT, Replay, Tally, in_id_range
from alerts.choices import Kind

from .models import Visit, stay_limit
from .services import overstayed

if TYPE_CHECKING:
    from alerts.models import BacktestRun

FIELDS = (
    "id",
    "entered_at",
    "exited_at",
    "closed_at",
    "plate",
    "vehicle__max_stay_minutes",
    "vehicle__category",
    "entry__camera__code",
    "entry__event_id",
)


class OverstayReplay(Replay):
    rule = "overstay"
    label = _("Overstay (visitors' stay limit)")
    position = 2
    kinds = (Kind.OVERSTAY,)
    fields = FIELDS

    def __init__(self, run: BacktestRun, since: datetime, until: datetime) -> None:
        super().__init__(run, since, until)
        visits = Visit.objects.filter(vehicle__isnull=False, entered_at__gte=since, entered_at__lt=until)
        self.rows = in_id_range(visits)
        self.draft_minutes = self.changes.get("overstay_minutes")

    def apply(self, chunk: list, tally: Tally) -> None:
        for pk, entered, exited, closed, plate, own_limit, category, camera, event in chunk:
            inside_until = min(exited or closed or self.until, self.until)
            limits = {
                CURRENT: stay_limit(own_limit, category),
                DRAFT: stay_limit(own_limit, category, self.draft_minutes),
            }
            for side, limit in limits.items():
                if overstayed(entered, limit, inside_until):
                    tally.add(
                        side,
                        entered + timedelta(minutes=limit),
                        camera or "",
                        partial(dict, event=event, visit=pk, kind=Kind.OVERSTAY, plate=plate, limit=limit),
                    )
