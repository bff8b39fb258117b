"""Trigram indexes so plate fragments (``?plate=ب ح``) stay fast over millions of passages.

PostgreSQL only (SQLite has no such index and needs none at demo sizes). pg_trgm is a
trusted extension: the database owner may create it; where that is refused the
indexes are skipped and fragment searches scan.
"""
import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)
INDEXES = {"anpr_gatepassage": "passage_plate_trgm_idx", "anpr_visit": "visit_plate_trgm_idx"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning("pg_trgm unavailable (%s): plate fragment searches will scan", exc)
        return
    for table, name in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (plate gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [("anpr", "0003_day_figures_as_documents")]

    operations = [migrations.RunPython(create, drop)]
