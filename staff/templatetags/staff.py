"""Template filters for the staff pages: numbers, times and durations in the active language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django import template

from anpr import plates
from cameras import labels
from damanat import numbers

if TYPE_CHECKING:
    from django.template.context import Context

register = template.Library()


@register.filter
def num(value: float | None, decimals: int | str = 0) -> str:
    return numbers.number(value, int(decimals))


@register.filter
def pct(value: float | None) -> str:
    """A 0–100 figure (occupancy, a camera's plate confidence) as a percentage."""
    return numbers.percent(value)


@register.filter
def when(value: datetime | date | None, fmt: str = "DATETIME") -> str:
    return numbers.when(value, fmt)


@register.filter
def duration(value: timedelta | None) -> str:
    return numbers.duration(value)


@register.filter
def plate(value: str | None) -> str:
    """A canonical plate as printed: ``ABJ1234`` → ``ABJ 1234``."""
    return plates.latin_display(value) if value else ""


@register.filter
def plate_arabic(value: str | None) -> str:
    """A canonical plate in Arabic letters and digits, empty when it has no Arabic form."""
    return plates.arabic_display(value) if value else ""


@register.filter
def since(value: datetime | None, now: datetime) -> str:
    """How long from ``value`` until ``now``: a vehicle's time inside."""
    return numbers.duration(now - value) if value and now else "—"


@register.filter
def event_type(value: str) -> str:
    return labels.event_type_label(value)


@register.filter
def event_state(value: str) -> str:
    return labels.state_label(value)


@register.filter
def target(value: str) -> str:
    return labels.target_label(value)


@register.filter
def digits(value: object) -> str:
    return numbers.digits(value)


@register.simple_tag(takes_context=True)
def query_with(context: Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (pagination, CSV export)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
