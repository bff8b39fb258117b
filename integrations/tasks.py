"""Celery tasks for exporters, discovered here; they are defined beside the work they queue
(``exporting``), which queues them itself, so neither module imports the other back."""

from __future__ import annotations

from .exporting import export_record, purge_export_records, sweep_exports

__all__ = ["export_record", "purge_export_records", "sweep_exports"]
