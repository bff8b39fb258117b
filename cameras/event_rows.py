"""Write a CameraEvent (and its pictures) in one statement, skipping a re-sent push.

The webhook's hot path. ``Model.save()`` rebuilds the 40-column INSERT on every push and
cannot say ON CONFLICT, so a duplicate costs an exception and a rolled-back savepoint;
pictures cost a transaction of their own. Here the statement is built once per process
(per number of pictures), and on PostgreSQL the pictures' rows go in the same statement
as the event's, so a push is stored whole or not at all without BEGIN and COMMIT round
trips.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from .models import CameraEvent, EventPicture

if TYPE_CHECKING:
    from cameras.parsing.events import Picture

PICTURE_COLUMNS = ("event_id", "name", "image", "content_type", "size", "sha256", "created_at")


def picture_record(picture: Picture) -> EventPicture:
    """A picture's row without its file: name, type, size and hash."""
    return EventPicture(
        name=picture.name[:200],
        content_type=picture.content_type[:100],
        size=len(picture.data),
        sha256=hashlib.sha256(picture.data).hexdigest(),
        created_at=timezone.now(),
    )


def picture_summary(picture: Picture) -> dict:
    """What is kept of a picture whose file is not: for the event's ``extra``."""
    record = picture_record(picture)
    return {
        "name": record.name,
        "content_type": record.content_type,
        "size": record.size,
        "sha256": record.sha256,
    }


def write_picture_files(pictures: Iterable[Picture]) -> list[EventPicture]:
    """Save the pushed pictures as files; the rows are written with the event.

    When the disk refuses one (full, read-only), every file of this call, the partly
    written one included, is removed before the OSError goes up.
    """
    records: list[EventPicture] = []
    try:
        for picture in pictures:
            records.append(_write_file(picture))
    except OSError:
        delete_picture_files(records)
        raise
    return records


def _write_file(picture: Picture) -> EventPicture:
    record = picture_record(picture)
    extension = "png" if picture.data[:2] == b"\x89P" else "jpg"
    name = EventPicture._meta.get_field("image").generate_filename(
        record, f"event-{secrets.token_hex(8)}.{extension}"
    )
    name = default_storage.get_available_name(name)
    try:
        record.image.name = default_storage.save(name, ContentFile(picture.data))
    except OSError:
        default_storage.delete(name)  # Django's storage leaves a partly written file behind
        raise
    return record


def add_pictures(event: CameraEvent, pictures: Iterable[Picture]) -> list[EventPicture]:
    """Pictures for an event already stored (fetched by URL later, edge uploads)."""
    records = write_picture_files(pictures)
    for record in records:
        record.event = event
    return EventPicture.objects.bulk_create(records)


def delete_picture_files(records: list[EventPicture]) -> None:
    for record in records:
        default_storage.delete(record.image.name)


def insert_event(event: CameraEvent, pictures: list[EventPicture] = ()) -> bool:
    """Insert the row (and its pictures' rows) and set its pk; False when an event with
    its dedup key exists, and then nothing is written."""
    if pictures and connection.vendor != "postgresql":
        # No data-modifying CTEs here: the pictures are a second statement.
        with transaction.atomic():
            return _insert(event, pictures, with_pictures_statement=False)
    return _insert(event, pictures, with_pictures_statement=True)


def _insert(event: CameraEvent, pictures: list[EventPicture], with_pictures_statement: bool) -> bool:
    statement = _statement(connection.vendor, len(pictures) if with_pictures_statement else 0)
    values = event.__dict__
    params = [values[name] for name in statement.attnames]
    if with_pictures_statement:
        for record in pictures:
            params += [
                record.name,
                record.image.name,
                record.content_type,
                record.size,
                record.sha256,
                record.created_at,
            ]
    pk = _execute(statement, params)
    if pk is None:
        return False
    event.pk = int(pk)
    event._state.adding = False
    event._state.db = connection.alias
    for record in pictures:
        record.event = event
        record._state.adding = False
    if pictures and not with_pictures_statement:
        EventPicture.objects.bulk_create(pictures)
    return True


class Statement(NamedTuple):
    sql: str  # %s placeholders, for a Django cursor
    attnames: tuple  # the event's attributes, in parameter order
    adapters: tuple  # per parameter: None, or how the cursor wants the value


@cache
def _statement(vendor: str, picture_count: int) -> Statement:
    meta = CameraEvent._meta
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Every name below comes from the models' metadata, never from a push.
    table, pk, key = quote(meta.db_table), quote(meta.pk.column), quote("dedup_key")
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT ({key}) DO NOTHING RETURNING {pk}"  # noqa: S608, E501
    picture_fields = [EventPicture._meta.get_field(name) for name in PICTURE_COLUMNS[1:]]
    if picture_count:
        sql = _with_pictures(sql, picture_count, picture_fields)
    parameters = [*fields, *picture_fields * picture_count]
    return Statement(
        sql=sql,
        attnames=tuple(field.attname for field in fields),
        adapters=tuple(_adapter(field, vendor) for field in parameters),
    )


def _with_pictures(insert: str, picture_count: int, picture_fields: list) -> str:
    quote = connection.ops.quote_name
    picture_table = quote(EventPicture._meta.db_table)
    picture_columns = ", ".join(quote(column) for column in PICTURE_COLUMNS)
    picture_marks = ", ".join(f"%s::{field.cast_db_type(connection)}" for field in picture_fields)
    # Data-modifying CTEs run whether or not the final SELECT reads them; on a duplicate
    # the event CTE returns no row, so no picture row is written either.
    picture = f"INSERT INTO {picture_table} ({picture_columns}) SELECT stored.id, {picture_marks} FROM stored"  # noqa: S608, E501
    pictures = ", ".join(f"picture_{index} AS ({picture})" for index in range(picture_count))
    return f"WITH stored AS ({insert}), {pictures} SELECT id FROM stored"  # noqa: S608


def _adapter(field: models.Field, vendor: str) -> Callable[[Any], Any] | None:
    """How a value becomes a cursor parameter. On PostgreSQL psycopg takes the Python
    values as they are, JSON aside; elsewhere Django's own preparation is used."""
    if vendor != "postgresql":
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.JSONField):
        return Jsonb
    return None


def _execute(statement: Statement, params: list) -> Any:
    """The new event's id, or None when ON CONFLICT skipped it."""
    params = [
        adapt(value) if adapt else value for adapt, value in zip(statement.adapters, params, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    return None if row is None else row[0]
