"""Template context for the shared layout: the pages this user may open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import may_open

if TYPE_CHECKING:
    from django.http import HttpRequest

NAVIGATION = [
    ("dashboard", "pages:dashboard", _("Dashboard")),
    ("alerts", "pages:alerts", _("Alerts")),
    ("scorecard", "pages:scorecard", _("Alert quality")),
    ("backtest", "pages:backtests", _("Rule backtest")),
    ("inside", "pages:inside", _("Inside now")),
    ("log", "pages:log", _("Entry/exit log")),
    ("misreads", "pages:misreads", _("Misreads")),
    ("vehicles", "pages:vehicles", _("Vehicles")),
    ("reports", "pages:reports", _("Reports")),
    ("cameras", "pages:cameras", _("Cameras")),
    ("evidence", "pages:evidence", _("Evidence")),
]


def staff(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff_nav": []}
    current = getattr(getattr(request, "resolver_match", None), "url_name", "") or ""
    items = [
        {"url": reverse(url), "label": label, "active": current.startswith(name)}
        for name, url, label in NAVIGATION
        if may_open(user, name)
    ]
    return {"staff_nav": items}
