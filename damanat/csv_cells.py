"""The one CSV writer of the product: no cell can run as a spreadsheet formula.

A plate read as ``=1+2`` or an owner named ``=HYPERLINK(...)`` would otherwise be
evaluated by Excel or LibreOffice when staff open an export (CSV formula injection).
Such a cell is written with a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def unescaped_cell(value: str) -> str:
    """The value a cell had before ``safe_cell``, so an exported file imports unchanged."""
    if value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeWriter:
    def __init__(self, target: SupportsWrite[str], **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: SupportsWrite[str], **options: Any) -> SafeWriter:
    """``csv.writer`` with every cell neutralised; use it for every CSV the product writes."""
    return SafeWriter(target, **options)
