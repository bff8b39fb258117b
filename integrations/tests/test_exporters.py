from __future__ import annotations

import base64
import socket
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.services import raise_alert
from alerts.transports.webhook import verify
from integrations import exporting
from integrations.bus import queue_exports
from integrations.models import Exporter, ExportRecord

SECRET = "integrator-shared-secret"


@pytest.fixture
def hook(db, receiver) -> Exporter:
    return Exporter.objects.create(
        name="Payment system",
        url=receiver.url,
        auth=Exporter.Auth.HMAC,
        secret=SECRET,
        event_kinds=["plate_read", "alert"],
        max_attempts=3,
        backoff_seconds=2,
        max_backoff_seconds=60,
        timeout_seconds=2,
    )


def record_for(exporter: Exporter, ref: str = "1") -> ExportRecord:
    ids = queue_exports("plate_read", ref, {"id": int(ref), "plate": "ABC123"})
    return ExportRecord.objects.get(pk=ids[0], exporter=exporter)


def free_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/down"


# --- API -------------------------------------------------------------------


def test_create_list_update_delete(api, receiver):
    created = api.post(
        "/api/v1/exporters",
        {
            "name": "Data lake",
            "url": receiver.url,
            "event_kinds": ["plate_read", "visit_closed"],
            "auth": "hmac",
            "secret": SECRET,
            "max_attempts": 4,
            "backoff_seconds": 1,
        },
        format="json",
    )
    exporter_id = created.json()["id"]
    updated = api.patch(f"/api/v1/exporters/{exporter_id}", {"timeout_seconds": 3}, format="json")
    listed = api.get("/api/v1/exporters", {"transport": "webhook"})

    assert created.status_code == 201, created.content
    assert SECRET not in created.content.decode() and created.json()["has_secret"] is True
    assert updated.status_code == 200 and Exporter.objects.get(pk=exporter_id).secret == SECRET
    assert [row["name"] for row in listed.json()["results"]] == ["Data lake"]
    assert listed.json()["results"][0]["records"] == {"pending": 0, "exported": 0, "failed": 0}
    assert api.delete(f"/api/v1/exporters/{exporter_id}").status_code == 204


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"url": "ftp://10.0.0.5/x"}, "url"),
        ({"event_kinds": ["everything"]}, "event_kinds"),
        ({"event_kinds": []}, "event_kinds"),
        ({"auth": "hmac"}, "secret"),
        ({"auth": "basic", "username": "u"}, "username"),
        ({"transport": "mqtt", "url": "http://10.0.0.5/"}, "url"),
        ({"transport": "mqtt", "url": "mqtt://10.0.0.5", "auth": "bearer", "secret": "t"}, "auth"),
        ({"max_attempts": 0}, "max_attempts"),
    ],
)
def test_validation(api, fields, error):
    payload = {"name": "x", "url": "http://10.0.0.5/hook", "event_kinds": ["alert"], **fields}

    response = api.post("/api/v1/exporters", payload, format="json")

    assert response.status_code == 400 and error in response.json()


def test_needs_permissions(outsider_api, hook):
    assert outsider_api.get("/api/v1/exporters").status_code == 403
    assert outsider_api.post(f"/api/v1/exporters/{hook.pk}/disable").status_code == 403
    assert outsider_api.post(f"/api/v1/exporters/{hook.pk}/test").status_code == 403


def test_test_action_reports_status_and_time(api, hook, receiver):
    receiver.statuses = [200, 500]

    ok = api.post(f"/api/v1/exporters/{hook.pk}/test").json()
    broken = api.post(f"/api/v1/exporters/{hook.pk}/test").json()

    assert ok["success"] is True and ok["status_code"] == 200 and ok["response_time_ms"] >= 0
    assert broken["success"] is False and broken["status_code"] == 500
    assert receiver.requests[0].json["kind"] == "test"
    assert verify(SECRET, receiver.requests[0].body, receiver.requests[0].headers["X-Damanat-Signature"])
    assert ExportRecord.objects.count() == 0


# --- sending ---------------------------------------------------------------


def test_exported_signed_once_and_tracked(hook, receiver, queued_exports, django_capture_on_commit_callbacks):
    Exporter.objects.create(name="Alerts only", url=receiver.url, event_kinds=["alert"])
    Exporter.objects.create(name="Off", url=receiver.url, event_kinds=["plate_read"], enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        record = record_for(hook)
        again = queue_exports("plate_read", "1", {"id": 1})

    outcome = exporting.export(record.pk)

    record.refresh_from_db()
    assert again == [] and ExportRecord.objects.count() == 1
    assert queued_exports == [(record.pk, None)]
    assert outcome == "exported" and record.status == ExportRecord.Status.EXPORTED
    assert record.attempts == 1 and record.exported_at is not None and record.last_status_code == 200
    sent = receiver.requests[0]
    assert verify(SECRET, sent.body, sent.headers["X-Damanat-Signature"])
    assert sent.headers["X-Damanat-Event-Id"] == str(record.event_id)
    assert sent.json == {
        "kind": "plate_read",
        "exporter": "Payment system",
        "data": {"id": 1, "plate": "ABC123"},
    }
    assert exporting.export(record.pk) == "not claimed" and len(receiver.requests) == 1


def test_transient_failures_are_retried_with_backoff(hook, receiver, queued_exports):
    receiver.statuses = [503, 502]
    record = record_for(hook)
    now = timezone.now()

    outcomes = [
        exporting.export(record.pk, now=now),
        exporting.export(record.pk, now=now),
        exporting.export(record.pk, now=now),
    ]

    record.refresh_from_db()
    assert outcomes == ["retry", "retry", "exported"]
    assert [countdown for _, countdown in queued_exports] == [2.0, 4.0]
    assert record.attempts == 3 and record.status == ExportRecord.Status.EXPORTED
    assert len({r.headers["X-Damanat-Event-Id"] for r in receiver.requests}) == 1


def test_refusal_is_not_retried_until_requeued(api, hook, receiver, queued_exports):
    receiver.statuses = [422]
    record = record_for(hook)

    outcome = exporting.export(record.pk)
    record.refresh_from_db()
    hook.refresh_from_db()

    assert outcome == "failed" and record.status == ExportRecord.Status.FAILED
    assert record.last_status_code == 422 and "422" in record.last_error and "422" in hook.last_error
    assert queued_exports == []
    tracked = api.get(f"/api/v1/exporters/{hook.pk}/records", {"status": "failed"}).json()["results"]
    assert [row["id"] for row in tracked] == [record.pk]

    assert api.post(f"/api/v1/exporters/{hook.pk}/retry-failed").json() == {"requeued": 1}
    assert exporting.export(record.pk) == "exported"


def test_outage_delays_and_loses_nothing(hook, receiver, queued_exports):
    hook.url, hook.max_attempts = free_port_url(), 2
    hook.save()
    record = record_for(hook)
    now = timezone.now()

    outcomes = [exporting.export(record.pk, now=now) for _ in range(3)]
    record.refresh_from_db()
    quick_retries = len(queued_exports)
    nothing_due = exporting.sweep(now=now)
    Exporter.objects.filter(pk=hook.pk).update(url=receiver.url)  # the receiver is back
    due_later = exporting.sweep(now=now + timedelta(seconds=61))

    assert outcomes == ["retry", "retry", "retry"]
    assert record.status == ExportRecord.Status.PENDING and "connection failed" in record.last_error
    assert quick_retries == 1  # after max_attempts the sweep takes over
    assert (nothing_due, due_later) == (0, 1)
    assert exporting.export(record.pk) == "exported" and len(receiver.requests) == 1


def test_disabled_exporter_sends_and_queues_nothing_until_enabled(api, hook, receiver, queued_exports):
    pending = record_for(hook, "1")

    assert api.post(f"/api/v1/exporters/{hook.pk}/disable").json()["enabled"] is False
    new = queue_exports("plate_read", "2", {"id": 2})
    outcome = exporting.export(pending.pk)
    assert (new, outcome, receiver.requests) == ([], "exporter disabled", [])

    assert api.post(f"/api/v1/exporters/{hook.pk}/enable").json()["enabled"] is True
    assert (pending.pk, None) in queued_exports
    assert exporting.export(pending.pk) == "exported"


@pytest.mark.parametrize(
    "auth, fields, expected",
    [
        ("bearer", {"secret": "tok-123"}, "Bearer tok-123"),
        ("basic", {"username": "lake", "password": "pw"}, "Basic " + base64.b64encode(b"lake:pw").decode()),
    ],
)
def test_bearer_and_basic_authentication(db, receiver, auth, fields, expected):
    exporter = Exporter.objects.create(
        name="BMS", url=receiver.url, auth=auth, event_kinds=["alert"], **fields
    )

    assert exporting.send_test(exporter)["success"] is True
    assert receiver.requests[0].headers["Authorization"] == expected
    assert "X-Damanat-Signature" not in receiver.requests[0].headers


def test_each_alert_status_is_exported_once(hook, zone, queued_exports, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert("violation", title="Car in no-parking", camera=zone.camera, zone=zone).alert
        alert.status = "acknowledged"
        alert.save(update_fields=["status"])
        alert.assigned_to = None
        alert.save(update_fields=["assigned_to"])

    refs = sorted(ExportRecord.objects.filter(kind="alert").values_list("object_ref", flat=True))
    assert refs == [f"{alert.pk}:acknowledged", f"{alert.pk}:open"]


@pytest.mark.postgres  # SQLite's shared in-memory test database locks instead of racing
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_export_twice(receiver, queued_exports):
    exporter = Exporter.objects.create(name="Lake", url=receiver.url, event_kinds=["plate_read"])
    record = record_for(exporter)
    receiver.delay = 0.3
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def worker():
        start.wait()
        outcomes.append(exporting.export(record.pk))

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(10)

    assert sorted(outcomes) == ["exported", "not claimed"]
    assert len(receiver.requests) == 1
    assert ExportRecord.objects.get(pk=record.pk).attempts == 1


def test_old_exported_records_are_purged_pending_ones_kept(hook, queued_exports, settings):
    settings.EXPORT_RECORD_RETENTION_DAYS = 30
    old, waiting = record_for(hook, "1"), record_for(hook, "2")
    long_ago = timezone.now() - timedelta(days=31)
    ExportRecord.objects.filter(pk=old.pk).update(status="exported", exported_at=long_ago)
    ExportRecord.objects.filter(pk=waiting.pk).update(created_at=long_ago)

    assert exporting.purge_exported() == 1
    assert list(ExportRecord.objects.values_list("pk", flat=True)) == [waiting.pk]
