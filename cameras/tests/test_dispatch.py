"""Handlers other apps register: each in its own savepoint; failures are kept and reprocessed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from cameras import dispatch
from cameras.choices import EventType
from cameras.models import Camera, CameraEvent

from .conftest import WEBHOOK, make_camera, payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_handlers", "at_fixture_day")]


class Broken:
    """A handler that writes, then fails until it is repaired."""

    def __init__(self):
        self.repaired = False
        self.calls = 0

    def __call__(self, events):
        for event in events:
            self.calls += 1
            Camera.objects.filter(pk=event.camera_id).update(name=f"touched by #{event.pk}")
            if not self.repaired:
                raise LookupError("zone parking-row-A has no floor")


class Counter:
    def __init__(self):
        self.events = []

    def __call__(self, events):
        for event in events:
            self.events.append(event.pk)
            make_camera(f"SIDE-{event.pk}", f"10.0.0.{len(self.events)}")


def push(client, name="hikvision_ver20_region_entrance.xml", ip="192.168.1.103"):
    return client.post(WEBHOOK, data=payload(name), content_type="application/xml", REMOTE_ADDR=ip)


def test_handlers_see_only_the_event_types_they_asked_for(client, camera):
    region, everything = Counter(), []
    dispatch.register("test.region", region, event_types=[EventType.REGION_ENTRANCE.upper()])
    dispatch.register("test.all", everything.extend)
    first = push(client).json()["event_id"]
    second = push(client, "isapi_ver20_fielddetection.xml").json()["event_id"]
    assert region.events == [first]
    assert [e.pk for e in everything] == [first, second]
    assert CameraEvent.objects.get(pk=first).handled_by == ["test.region", "test.all"]


def test_handler_failure_rolls_back_only_that_handler_and_reprocess_runs_it(client, camera):
    broken, counter = Broken(), Counter()
    dispatch.register("test.broken", broken)
    dispatch.register("test.counter", counter)
    response = push(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted"
    assert "zone parking-row-A" not in body["reason"]  # internals stay in the stored event
    event = CameraEvent.objects.get(pk=body["event_id"])
    assert event.status == CameraEvent.Status.FAILED
    assert event.reason == "test.broken: LookupError: zone parking-row-A has no floor"
    assert event.handled_by == ["test.counter"]
    camera.refresh_from_db()
    assert camera.name == ""  # broken handler's write rolled back
    assert Camera.objects.filter(code=f"SIDE-{event.pk}").exists()  # the other handler's kept

    broken.repaired = True
    call_command("reprocess_events")
    event.refresh_from_db()
    assert event.status == CameraEvent.Status.ACCEPTED
    assert event.reason == ""
    assert event.attempts == 2
    assert sorted(event.handled_by) == ["test.broken", "test.counter"]
    assert counter.events == [event.pk]  # not run twice
    camera.refresh_from_db()
    assert camera.name == f"touched by #{event.pk}"


def test_reprocess_still_failing_exits_non_zero_and_keeps_the_reason(client, camera):
    import io

    dispatch.register("test.broken", Broken())
    push(client)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("reprocess_events", stdout=out, stderr=io.StringIO())
    assert exit_info.value.code == 1
    assert "test.broken: LookupError: zone parking-row-A has no floor" in out.getvalue()
    event = CameraEvent.objects.get()
    assert event.status == CameraEvent.Status.FAILED
    assert event.attempts == 2
    assert "LookupError" in event.reason


def test_handler_on_commit_work_runs_after_the_push_is_stored(
    client, camera, django_capture_on_commit_callbacks
):
    queued = []

    def handler(events):
        [event] = events
        transaction.on_commit(lambda: queued.append(CameraEvent.objects.filter(pk=event.pk).exists()))

    dispatch.register("test.celery_like", handler)
    with django_capture_on_commit_callbacks(execute=True):
        push(client)
    assert queued == [True]
