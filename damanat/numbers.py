"""Numbers and times as the active language writes them.

Arabic in Saudi Arabia writes Arabic-Indic digits with the Arabic decimal and thousands
separators; Django's own Arabic formats keep Latin digits, so we convert here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext

from .bilingual import reads_arabic

ARABIC_DIGITS = str.maketrans("0123456789%", "٠١٢٣٤٥٦٧٨٩٪")


def digits(text: object) -> str:
    """Latin digits to the language's digits (Arabic-Indic in Arabic)."""
    return str(text).translate(ARABIC_DIGITS) if reads_arabic() else str(text)


def number(value: float | Decimal | None, decimals: int = 0) -> str:
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,}"
    if reads_arabic():
        text = text.replace(",", "\u066c").replace(".", "\u066b")
    return digits(text)


def counted(message: str, n: int) -> str:
    """An ``ngettext`` message with ``%(n)s``, the count in the language's digits."""
    return message % {"n": number(n)}


def percent(value: float | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return f"{number(value, decimals)}\u066a" if reads_arabic() else f"{number(value, decimals)}%"


def when(value: datetime | date | None, fmt: str = "DATETIME") -> str:
    """A moment in the facility's zone (the current time zone), in the language's format."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = {"DATETIME": "Y-m-d H:i:s", "DATE": "Y-m-d", "TIME": "H:i:s", "SHORT": "m-d H:i"}.get(fmt, fmt)
    return digits(formats.date_format(value, pattern))


def duration(value: timedelta | float | None) -> str:
    """A parking time as hours and minutes: "2 h 05 min"."""
    if value is None:
        return "—"
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return digits(gettext("%(h)d h %(m)02d min") % {"h": hours, "m": minutes})
    return digits(gettext("%(m)d min") % {"m": minutes})
