"""The vehicle attributes plate cameras report (colour, type, brand), worded for staff."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Hikvision's colour and vehicle type values.
WORDS = {
    "white": gettext_lazy("white"),
    "black": gettext_lazy("black"),
    "gray": gettext_lazy("grey"),
    "grey": gettext_lazy("grey"),
    "silver": gettext_lazy("silver"),
    "red": gettext_lazy("red"),
    "blue": gettext_lazy("blue"),
    "green": gettext_lazy("green"),
    "yellow": gettext_lazy("yellow"),
    "brown": gettext_lazy("brown"),
    "golden": gettext_lazy("gold"),
    "orange": gettext_lazy("orange"),
    "pink": gettext_lazy("pink"),
    "purple": gettext_lazy("purple"),
    "cyan": gettext_lazy("cyan"),
    "vehicle": gettext_lazy("vehicle"),
    "car": gettext_lazy("car"),
    "sedan": gettext_lazy("sedan"),
    "suv": gettext_lazy("SUV"),
    "van": gettext_lazy("van"),
    "minivan": gettext_lazy("van"),
    "pickup": gettext_lazy("pickup"),
    "truck": gettext_lazy("truck"),
    "bus": gettext_lazy("bus"),
    "motorcycle": gettext_lazy("motorcycle"),
    "largebus": gettext_lazy("bus"),
    "smallcar": gettext_lazy("small car"),
    "lighttruck": gettext_lazy("light truck"),
}


def describe(found: dict[str, str]) -> list[dict[str, str]]:
    """Each attribute as ``text`` (translated) and ``code`` (the camera's own value, shown as is)."""
    parts = []
    for name in ("colour", "type"):
        if name in found:
            word = WORDS.get(found[name])
            parts.append({"text": str(word), "code": ""} if word else {"text": "", "code": found[name]})
    if "brand" in found:
        parts.append({"text": _("make"), "code": found["brand"]})
    return parts
