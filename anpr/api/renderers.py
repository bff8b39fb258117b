from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

from anpr import figures
from damanat import csv_cells


class SeriesCSVRenderer(BaseRenderer):
    """The range series as CSV: one line per day and per category (``?format=csv``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        buffer = io.StringIO()
        writer = csv_cells.writer(buffer)
        if isinstance(data, dict) and "days" in data:
            writer.writerow(figures.CSV_COLUMNS)
            writer.writerows(figures.series_csv_rows(data["days"]))
        else:
            writer.writerow(["error"])
            writer.writerow([str(data)])
        return buffer.getvalue().encode("utf-8")
