from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from alerts.services import raise_alert
from cameras.models import Camera, CameraEvent, EventPicture
from operations.models import LegalHold, RetentionPolicy
from operations.retention import apply_retention

pytestmark = pytest.mark.django_db


def old_event(camera, days, **fields):
    return CameraEvent.objects.create(
        camera=camera,
        event_type="fielddetection",
        received_at=timezone.now() - timedelta(days=days),
        **fields,
    )


@pytest.fixture
def camera():
    return Camera.objects.create(code="CAM-01", ip_address="192.168.1.101")


def test_old_raw_events_are_deleted_and_recent_ones_kept(camera, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raw_events": 30}
    stale = [old_event(camera, 40) for _ in range(5)]
    fresh = old_event(camera, 3)
    result = apply_retention()
    assert result["raw_events"] == 5
    assert list(CameraEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not CameraEvent.objects.filter(pk__in=[e.pk for e in stale]).exists()


def test_held_alert_keeps_its_source_event_and_pictures(camera, settings, django_user_model):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raw_events": 30, "pictures": 30, "alerts": 30}
    event = old_event(camera, 60, plate="ABC1234")
    picture = EventPicture(event=event, name="plate.jpg")
    picture.image.save("plate.jpg", ContentFile(b"\xff\xd8 jpeg"), save=True)
    EventPicture.objects.filter(pk=picture.pk).update(created_at=timezone.now() - timedelta(days=60))
    alert = raise_alert(
        "violation",
        title="old violation",
        camera=camera,
        source_event=event,
        at=timezone.now() - timedelta(days=60),
    ).alert
    alert.status = "resolved"
    alert.save()
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(alert),
        object_id=str(alert.pk),
        reason="police case 17",
    )
    apply_retention()
    assert CameraEvent.objects.filter(pk=event.pk).exists()
    assert EventPicture.objects.filter(pk=picture.pk).exists()

    LegalHold.objects.get().release(by=django_user_model.objects.create(username="chief"))
    apply_retention()
    assert not CameraEvent.objects.filter(pk=event.pk).exists()
    assert not EventPicture.objects.filter(pk=picture.pk).exists()


def test_policy_in_the_admin_overrides_settings_and_can_disable(camera):
    old_event(camera, 10)
    RetentionPolicy.objects.create(data_type="raw_events", keep_days=5, enabled=False)
    assert apply_retention()["raw_events"] == 0
    RetentionPolicy.objects.filter(data_type="raw_events").update(enabled=True)
    assert apply_retention()["raw_events"] == 1
    assert RetentionPolicy.objects.get(data_type="raw_events").last_deleted == 1


def test_deletion_happens_in_batches(camera, settings):
    settings.RETENTION_BATCH_SIZE = 3
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raw_events": 1}
    for _ in range(8):
        old_event(camera, 5)
    assert apply_retention()["raw_events"] == 8


def test_held_visit_keeps_its_passages_and_plate_reads(camera, settings):
    from anpr.models import GatePassage, Visit

    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raw_events": 30, "passages_visits": 30}
    long_ago = timezone.now() - timedelta(days=90)

    def visit(plate):
        passages = []
        for gate in ("entry", "exit"):
            event = old_event(camera, 90, plate=plate)
            passages.append(
                GatePassage.objects.create(
                    gate=gate,
                    event=event,
                    plate=plate,
                    occurred_at=long_ago,
                    local_date=long_ago.date(),
                    last_read_at=long_ago,
                )
            )
        return Visit.objects.create(
            plate=plate, status=Visit.Status.CLOSED, entry=passages[0], exit=passages[1], closed_at=long_ago
        )

    held, free = visit("HLD1234"), visit("FRE1234")
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(held), object_id=str(held.pk), reason="insurance claim"
    )
    apply_retention()

    assert list(Visit.objects.values_list("plate", flat=True)) == ["HLD1234"]
    assert set(GatePassage.objects.values_list("plate", flat=True)) == {"HLD1234"}
    assert set(CameraEvent.objects.values_list("plate", flat=True)) == {"HLD1234"}
    assert not Visit.objects.filter(pk=free.pk).exists()


def test_open_visits_are_never_aged_out(camera, settings):
    from anpr.models import Visit

    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "passages_visits": 1}
    Visit.objects.create(
        plate="OPN1234", status=Visit.Status.OPEN, entered_at=timezone.now() - timedelta(days=30)
    )
    apply_retention()
    assert Visit.objects.filter(plate="OPN1234").exists()


def picture(event, size: int, days: int) -> EventPicture:
    record = EventPicture(event=event, name="plate.jpg", size=size)
    record.image.save("plate.jpg", ContentFile(b"\xff\xd8" + b"x" * (size - 2)), save=True)
    EventPicture.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=days))
    return record


def test_pictures_over_the_media_budget_go_oldest_first_and_never_held(camera, settings):
    settings.MEDIA_BUDGET_BYTES = 2500
    held_event, other = old_event(camera, 10, plate="HELD1"), old_event(camera, 10)
    held = picture(held_event, 1000, days=9)  # the oldest, but on legal hold
    older, newer, newest = (picture(other, 1000, days) for days in (8, 5, 1))
    LegalHold.objects.create(
        content_type=ContentType.objects.get_for_model(held_event),
        object_id=str(held_event.pk),
        reason="police case 18",
    )
    files = {p.pk: p.image.path for p in (held, older, newer, newest)}

    result = apply_retention()

    assert set(EventPicture.objects.values_list("pk", flat=True)) == {held.pk, newest.pk}
    assert result["pictures"] == 2
    assert not Path(files[older.pk]).exists() and Path(files[held.pk]).exists()


def test_no_budget_keeps_every_picture(camera, settings):
    settings.MEDIA_BUDGET_BYTES = 0
    picture(old_event(camera, 2), 5000, days=1)

    apply_retention()

    assert EventPicture.objects.count() == 1


def test_the_budget_is_checked_between_nightly_runs():
    from damanat.celery import app

    entry = app.conf.beat_schedule["media-budget"]
    assert entry["task"] == "operations.tasks.enforce_picture_budget" and entry["schedule"] <= 900
