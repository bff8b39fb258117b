"""Names kept in Arabic and English: each reader sees their language's, the other when it is missing."""

from __future__ import annotations

from django.utils.translation import get_language


def reads_arabic() -> bool:
    return (get_language() or "").startswith("ar")


def pick(english: str, arabic: str) -> str:
    """The active language's text, else the other one."""
    if reads_arabic():
        return arabic or english
    return english or arabic


class BilingualName:
    """For models with an English ``name`` and an Arabic ``name_ar``."""

    @property
    def display_name(self) -> str:
        return pick(self.name, self.name_ar)
