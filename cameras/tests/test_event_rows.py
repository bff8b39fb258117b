"""The webhook's one-statement INSERT: the same row the ORM would write, its pictures in the
same statement, skipped duplicates, database errors as Django's, on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DataError, transaction

from cameras import event_rows
from cameras.models import CameraEvent, EventPicture
from cameras.parsing import Picture

from .conftest import RIYADH

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def new_event(camera, key: str = "key-1", **fields) -> CameraEvent:
    moment = datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=RIYADH)
    values = dict(
        received_at=moment,
        source_ip="192.168.1.103",
        camera=camera,
        content_type="application/xml; charset=utf-8",
        raw_body=b"<x>\x00\xff\xfe bytes</x>",
        body_size=17,
        headers={"HTTP_USER_AGENT": "كاميرا/1.0", "nested": {"a": [1, 2.5, None, True]}},
        event_type="fielddetection",
        event_state="active",
        event_description="حدث اقتحام",
        channel_id=None,
        channel_name="Ch ‹1›",
        region_id="restricted-vip",
        detection_target="vehicle",
        trigger_time=moment - timedelta(seconds=3),
        trigger_time_flagged=True,
        device_uuid="u-1",
        device_serial="DS-2CD",
        device_mac="44:19:b6:00:00:01",
        plate="أبج1234",
        original_plate="ABJ 1234",
        plate_confidence=91.25,
        direction="forward",
        vehicle_type="sedan",
        vehicle_color="white",
        plate_list="allowList",
        extra={"picture_urls": ["http://127.0.0.1/a.jpg"]},
        status=CameraEvent.Status.ACCEPTED,
        reason="",
        dedup_key=key,
        handled_by=["parking"],
        processed_at=moment.astimezone(UTC),
        attempts=1,
    )
    values.update(fields)
    return CameraEvent(**values)


def pictures() -> list[EventPicture]:
    return event_rows.write_picture_files(
        [
            Picture("plate.jpg", "image/jpeg", b"\xff\xd8jpeg\xff\xd9"),
            Picture("scene.jpg", "image/jpeg", b"\xff\xd8scene\xff\xd9"),
        ]
    )


def test_every_column_is_stored_as_the_orm_would_store_it(camera):
    event, records = new_event(camera), pictures()
    assert event_rows.insert_event(event, records)
    stored = CameraEvent.objects.get(pk=event.pk)
    for field in CameraEvent._meta.concrete_fields:
        expected, got = getattr(event, field.attname), getattr(stored, field.attname)
        assert (bytes(got) if field.attname == "raw_body" else got) == expected, field.attname
    rows = EventPicture.objects.filter(event=stored).order_by("name")
    assert [(p.name, p.image.name, p.size, p.sha256, p.created_at) for p in rows] == [
        (r.name, r.image.name, r.size, r.sha256, r.created_at) for r in records
    ]
    assert rows[0].image.read() == b"\xff\xd8jpeg\xff\xd9"


def test_a_resent_push_writes_nothing(camera):
    assert event_rows.insert_event(new_event(camera), pictures())
    again = new_event(camera)
    assert not event_rows.insert_event(again, pictures())
    assert again.pk is None
    assert CameraEvent.objects.count() == 1 and EventPicture.objects.count() == 2


def test_a_refused_value_is_a_django_error_and_the_connection_carries_on(camera):
    with pytest.raises(DataError):
        event_rows.insert_event(new_event(camera, plate="X" * 40))
    assert event_rows.insert_event(new_event(camera, "key-2"))
    assert list(CameraEvent.objects.values_list("dedup_key", flat=True)) == ["key-2"]


def test_inside_a_transaction_the_insert_rolls_back_with_it(camera):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert event_rows.insert_event(new_event(camera), pictures())
        raise RuntimeError("handler failed")
    assert CameraEvent.objects.count() == 0 and EventPicture.objects.count() == 0
