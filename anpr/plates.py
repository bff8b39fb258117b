"""Plates: one canonical form for Arabic and Latin reads, display in both scripts, misread variants.

Saudi plates carry the same letters and digits twice, in Arabic and in Latin script. The
canonical form is Latin, upper case, without separators, letters before digits, so that
``أ ب ح ١٢٣٤``, ``1234 ABJ`` and ``abj-1234`` are one vehicle.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings

from cameras.parsing.events import PLATE_MAX_LENGTH

# The 17 letters used on Saudi plates, Arabic → Latin, as printed side by side on the plate.
ARABIC_TO_LATIN = {
    "ا": "A",
    "ب": "B",
    "ح": "J",
    "د": "D",
    "ر": "R",
    "س": "S",
    "ص": "X",
    "ط": "T",
    "ع": "E",
    "ق": "G",
    "ك": "K",
    "ل": "L",
    "م": "Z",
    "ن": "N",
    "ه": "H",
    "و": "U",
    "ى": "V",
}
# Spellings a keyboard or a camera produces for the same plate letters.
ARABIC_VARIANTS = {"أ": "ا", "إ": "ا", "آ": "ا", "ي": "ى", "ة": "ه", "ہ": "ه", "ک": "ك"}
LATIN_TO_ARABIC = {latin: arabic for arabic, latin in ARABIC_TO_LATIN.items()}
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(ARABIC_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
_NOT_PLATE = {"UNKNOWN", "NONE", "NOPLATE", "NA", "NULL"}
_GROUPS = re.compile(r"[A-Z]+|[0-9]+")


def _to_latin(char: str) -> str:
    char = ARABIC_VARIANTS.get(char, char)
    return ARABIC_TO_LATIN.get(char, char)


def _letters_first(text: str) -> str:
    """``1234ABJ`` → ``ABJ1234``: one letter group and one digit group, in a fixed order."""
    groups = _GROUPS.findall(text)
    if len(groups) == 2 and groups[0].isdigit() and groups[1].isalpha():
        return groups[1] + groups[0]
    return text


def plate_characters(text: str | None) -> str:
    """Plate characters of any text, in canonical script: for searching part of a plate."""
    text = (text or "").translate(_DIGITS)
    text = "".join(_to_latin(char) for char in text).upper()
    return "".join(char for char in text if char.isascii() and char.isalnum())


def canonical_plate(raw: str | None) -> str:
    """The canonical plate, or "" when the read is not a plate (empty, "unknown", too short)."""
    return _canonical(raw or "", settings.ANPR_MIN_PLATE_LENGTH)


@lru_cache(maxsize=65536)  # every read of a batch asks for the same few plates many times
def _canonical(raw: str, min_length: int) -> str:
    # Bounded like the plate columns: reads from edge sensors and the API are not cut before.
    text = plate_characters(raw)[:PLATE_MAX_LENGTH]
    if text in _NOT_PLATE or len(text) < min_length:
        return ""
    return _letters_first(text)


def is_saudi(plate: str) -> bool:
    """Letters all among the 17 Saudi plate letters, digits after them."""
    groups = _GROUPS.findall(plate)
    return (
        len(groups) == 2
        and groups[0].isalpha()
        and groups[1].isdigit()
        and all(char in LATIN_TO_ARABIC for char in groups[0])
    )


def latin_display(plate: str) -> str:
    """``ABJ1234`` → ``ABJ 1234``."""
    return " ".join(_GROUPS.findall(plate)) or plate


def arabic_display(plate: str) -> str:
    """``ABJ1234`` → ``ا ب ح ١٢٣٤`` for Saudi plates; "" when the plate has no Arabic form."""
    if not is_saudi(plate):
        return ""
    letters, digits = _GROUPS.findall(plate)
    arabic_digits = digits.translate(str.maketrans("0123456789", ARABIC_DIGITS))
    return " ".join(LATIN_TO_ARABIC[char] for char in letters) + " " + arabic_digits


@lru_cache(maxsize=8)
def _confusions(table: tuple[str, ...]) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for group in table:
        chars = [c for c in group.upper() if c.isalnum()]
        for char in chars:
            pairs.setdefault(char, set()).update(c for c in chars if c != char)
    return pairs


def confusable_characters() -> dict[str, set[str]]:
    """Each character and those a reader commonly takes it for (settings.ANPR_CONFUSABLE)."""
    return _confusions(tuple(settings.ANPR_CONFUSABLE))


def probable_variants(plate: str) -> set[str]:
    """Every canonical plate one commonly confused character away from ``plate``."""
    return set(_variants(plate, tuple(settings.ANPR_CONFUSABLE), settings.ANPR_MIN_PLATE_LENGTH))


@lru_cache(maxsize=65536)
def _variants(plate: str, confusable: tuple, min_length: int) -> frozenset[str]:
    confusions = _confusions(confusable)
    variants = set()
    for index, char in enumerate(plate):
        for other in confusions.get(char, ()):
            variant = _canonical(plate[:index] + other + plate[index + 1 :], min_length)
            if variant and variant != plate:
                variants.add(variant)
    return frozenset(variants)
