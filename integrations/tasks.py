"""Celery tasks for exporters: thin, they take ids."""
from __future__ import annotations

from celery import shared_task

from . import exporting


@shared_task(name="integrations.export_record", ignore_result=True)
def export_record(record_id: int) -> str:
    return exporting.export(record_id)


@shared_task(name="integrations.sweep_exports", ignore_result=True)
def sweep_exports() -> int:
    return exporting.sweep()


@shared_task(name="integrations.purge_export_records", ignore_result=True)
def purge_export_records() -> int:
    return exporting.purge_exported()
