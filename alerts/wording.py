"""An alert's title and description in the reader's language, from its kind and parameters.

Callers store facts, not sentences: counts and codes as they are, and the words another app
owns (a zone's name, a gate, a category) in every language at once (``each_language``).
The stored ``title``/``description`` columns keep the English rendering, for search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cameras.labels import event_type_label, target_label
from damanat import numbers
from damanat.bilingual import reads_arabic

ZONE_EVENT = gettext_lazy("%(event)s from %(camera)s in %(zone)s, target %(target)s")
PASSAGE = gettext_lazy("Plate %(plate)s%(arabic)s read as %(raw)s at the %(gate)s gate%(probable)s.")
TEXTS = {
    "vehicle_in_zone": (gettext_lazy("Vehicle in %(zone)s"), ZONE_EVENT),
    "intrusion_in_zone": (gettext_lazy("Intrusion in %(zone)s"), ZONE_EVENT),
    "intrusion_in_field": (gettext_lazy("Intrusion in the camera's field"), ZONE_EVENT),
    "line_crossing": (gettext_lazy("Line crossing at %(zone)s"), ZONE_EVENT),
    "occupancy_full": (
        gettext_lazy("Zone %(zone)s at %(percent)s capacity"),
        gettext_lazy("%(count)s vehicles counted for %(capacity)s spaces."),
    ),
    "counter_drift": (
        gettext_lazy("Counts disagree on %(where)s"),
        gettext_lazy(
            "Zone events count %(counted)s vehicles, gate passages %(gate)s (difference %(difference)s)."
        ),
    ),
    "unknown_vehicle": (gettext_lazy("Unregistered vehicle at %(gate)s gate: plate %(plate)s"), PASSAGE),
    "blocked_vehicle": (gettext_lazy("Blocked vehicle at %(gate)s gate: plate %(plate)s"), PASSAGE),
    "permit_expired": (
        gettext_lazy("Vehicle outside its permit dates at %(gate)s gate: plate %(plate)s"),
        PASSAGE,
    ),
    "overstay": (
        gettext_lazy("Overstay: plate %(plate)s inside for %(minutes)s min (allowed %(limit)s)"),
        gettext_lazy("%(owner)s, %(category)s, entered %(entered)s."),
    ),
    "camera_offline": (gettext_lazy("Camera %(camera)s offline"), "%(reason)s"),
    "suspicious_activity": (
        gettext_lazy("Suspicious activity at %(camera)s"),
        gettext_lazy("%(detector)s reports %(type)s (confidence %(confidence)s)."),
    ),
    "crime": (
        gettext_lazy("%(crime)s at %(camera)s"),
        gettext_lazy("Reported by %(detector)s with confidence %(confidence)s, %(start)s – %(end)s."),
    ),
    "detector_offline": (
        gettext_lazy("Detector %(name)s is offline"),
        gettext_lazy("No heartbeat since %(last)s. Cameras assigned but not being processed: %(cameras)s."),
    ),
}
PERCENTS = {"percent", "confidence"}


def each_language(text: Callable[[], str]) -> dict[str, str]:
    """``text()`` rendered once per language of the site: a word another app translates."""
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words[code] = str(text())
    return words


def render(kind: str, params: dict) -> tuple[str, str]:
    """(title, description) in the active language."""
    topic = params.get("topic", kind)
    title, description = TEXTS[topic]
    context = _context(params)
    text = str(description) % context
    return str(title) % {**context, "zone": context["zone"] or _("an unnamed line")}, text + _extras(params)


def render_in(language: str, kind: str, params: dict) -> tuple[str, str]:
    with translation.override(language):
        return render(kind, params)


def in_each_language(kind: str, params: dict) -> dict[str, dict[str, str]]:
    """{"ar": {"title": …, "description": …}, "en": {…}}: for webhooks, which serve everyone."""
    return {
        code: dict(zip(("title", "description"), render_in(code, kind, params), strict=True))
        for code, _name in settings.LANGUAGES
    }


def _context(params: dict) -> dict:
    context = {key: _shown(key, value) for key, value in params.items()}
    context["zone"] = context.get("zone") or ""
    context.setdefault("arabic", "")
    if "event" in params:
        context["event"] = event_type_label(params["event"])
        context["target"] = target_label(params.get("target") or "") or _("unspecified")
        context["zone"] = context["zone"] or _("whole field")
    if "raw" in params:
        context["arabic"] = f" / {params['arabic']}" if params.get("arabic") else ""
        context["probable"] = _(" (probable match: one character differs)") if params.get("probable") else ""
    return context


def _shown(key: str, value: Any) -> str | bool | None:
    if isinstance(value, dict):
        return value.get(translation.get_language()) or value.get("ar" if reads_arabic() else "en") or ""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        if key in PERCENTS:
            return numbers.percent(value, 0 if float(value).is_integer() else 1)
        if key == "difference":
            return ("+" if value > 0 else "") + numbers.number(value)
        return numbers.number(value)
    return value


def _extras(params: dict) -> str:
    """What follows the description: the other rules that fired, the guard assigned."""
    text = ""
    if params.get("also"):
        titles = [
            render(params.get("kind", ""), {**params, "topic": topic, "also": []})[0]
            for topic in params["also"]
        ]
        text += " " + _("Also: %(rules)s.") % {"rules": "; ".join(titles)}
    if params.get("guard"):
        text += " " + _("Assigned to %(guard)s (on duty).") % {"guard": params["guard"]}
    return text
