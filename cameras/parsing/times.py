"""Camera clocks: honour an explicit offset, read a bare time as facility time,
and fall back to the receive time (flagged) when the value is unusable."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

# Hikvision writes +0300 as well as +03:00, and some firmware writes -8:00.
_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
_SHORT_HOUR_OFFSET = re.compile(r"(?<=\d)([+-])(\d):(\d{2})$")
# pictureInfo/absTime: yyyyMMddHHmmss plus optional milliseconds, facility time.
_COMPACT_STAMP = re.compile(r"^(\d{14})(\d{3})?$")


def _normalise(text: str) -> str:
    text = text.strip().replace(" ", "T", 1)
    if text.endswith(("Z", "z")):
        return text[:-1] + "+00:00"
    text = _SHORT_HOUR_OFFSET.sub(r"\g<1>0\2:\3", text)
    return _COMPACT_OFFSET.sub(r"\1:\2", text)


def _read(text: str) -> datetime:
    compact = _COMPACT_STAMP.match(text.strip())
    if compact:
        moment = datetime.strptime(compact.group(1), "%Y%m%d%H%M%S")
        return moment.replace(microsecond=int(compact.group(2) or 0) * 1000)
    return datetime.fromisoformat(_normalise(text))


def parse_camera_time(text: str, received_at: datetime) -> tuple[datetime, bool]:
    """Return (aware time, flagged); flagged means the receive time stands in."""
    if not text:
        return received_at, True
    try:
        moment = _read(text)
    except (ValueError, OverflowError):
        return received_at, True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.FACILITY_TIME_ZONE))
    skew = timedelta(hours=settings.EVENT_MAX_CLOCK_SKEW_HOURS)
    try:
        absurd = abs(moment - received_at) > skew
    except OverflowError:
        absurd = True
    if absurd:
        return received_at, True
    return moment, False
