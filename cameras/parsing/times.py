"""Camera clocks: honour an explicit offset, read a bare time as facility time,
and fall back to the receive time (flagged) when the value is unusable."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def _normalise(text: str) -> str:
    text = text.strip().replace(" ", "T", 1)
    if text.endswith(("Z", "z")):
        return text[:-1] + "+00:00"
    # Hikvision sometimes writes +0300 instead of +03:00.
    return _COMPACT_OFFSET.sub(r"\1:\2", text)


def parse_camera_time(text: str, received_at: datetime) -> tuple[datetime, bool]:
    """Return (aware UTC-comparable time, flagged)."""
    if not text:
        return received_at, True
    try:
        moment = datetime.fromisoformat(_normalise(text))
    except ValueError:
        return received_at, True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.FACILITY_TIME_ZONE))
    skew = timedelta(hours=settings.EVENT_MAX_CLOCK_SKEW_HOURS)
    if abs(moment - received_at) > skew:
        return received_at, True
    return moment, False
