"""An edge sensor's plate reads, over real HTTP and a real WebSocket, through the ANPR pipeline."""

from __future__ import annotations

import json
import time

import pytest
import requests
from websockets.sync.client import connect

from alerts.transports.webhook import verify
from anpr.models import Visit
from cameras.models import CameraEvent
from cameras.simulator import TINY_JPEG
from damanat.testing import wait_until
from integrations import exporting
from integrations.models import Exporter, ExportRecord
from integrations.tasks import export_record

SECRET = "parking-payment-secret"


@pytest.fixture
def inline_worker(monkeypatch):
    """Export tasks run as soon as they are queued, in the queuing thread."""
    monkeypatch.setattr(export_record, "apply_async", lambda args, **options: exporting.export(args[0]))


def post_read(server, token: str, camera: str, plate: str, event_id: str) -> requests.Response:
    fields = {
        "camera": camera,
        "plate": plate,
        "confidence": 0.94,
        "vehicle_type": "SUV",
        "vehicle_color": "black",
        "vehicle_make": "Nissan",
        "event_id": event_id,
        "ocr_candidates": [{"plate": plate, "confidence": 0.94}],
    }
    return requests.post(
        f"{server.http}/api/v1/events/ingest",
        timeout=5,
        headers={"Authorization": f"Token {token}"},
        data={"event": json.dumps(fields)},
        files={
            "frame": ("frame.jpg", TINY_JPEG, "image/jpeg"),
            "crop": ("crop.jpg", TINY_JPEG, "image/jpeg"),
        },
    )


def collect(websocket, wanted: set[tuple[str, str]], plate: str, timeout: float = 1.0) -> dict:
    """This plate's messages by (kind, action) until every wanted pair arrived or the time is up
    (the stream is the whole installation's: other cars may be on it too)."""
    seen: dict = {}
    deadline = time.monotonic() + timeout
    while not wanted <= set(seen) and time.monotonic() < deadline:
        message = json.loads(websocket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        if message.get("data", {}).get("plate", plate) == plate:
            seen.setdefault((message["kind"], message.get("action")), message)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize(
    "worker",
    [
        "inline_worker",
        pytest.param(
            "celery_worker_on_redis",  # SQLite's in-memory test DB locks
            marks=[pytest.mark.redis, pytest.mark.postgres],
        ),
    ],
)
def test_edge_read_is_exported_signed_streamed_and_opens_then_closes_a_visit(
    request, worker, asgi_server, receiver, integrator_token, entry_camera, exit_camera
):
    request.getfixturevalue(worker)
    Exporter.objects.create(
        name="Payment system",
        url=receiver.url,
        auth=Exporter.Auth.HMAC,
        secret=SECRET,
        event_kinds=["plate_read", "passage", "visit_closed"],
    )
    with connect(f"{asgi_server.ws}/api/v1/events/stream?token={integrator_token}", open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=2))["kind"] == "hello"
        entered = post_read(asgi_server, integrator_token, "CAM-ENTRY", "KSA4821", "edge-1")
        on_entry = collect(
            ws, {("plate_read", "created"), ("passage", "created"), ("visit", "opened")}, "KSA4821"
        )
        exited = post_read(asgi_server, integrator_token, "CAM-EXIT", "KSA4821", "edge-2")
        on_exit = collect(ws, {("plate_read", "created"), ("visit", "closed")}, "KSA4821")

    assert (entered.status_code, exited.status_code) == (201, 201)
    event = CameraEvent.objects.get(pk=entered.json()["event_id"])
    assert sorted(event.pictures.values_list("name", flat=True)) == ["crop", "frame"]
    assert "anpr.gate_passage" in event.handled_by

    read = on_entry[("plate_read", "created")]["data"]
    assert (read["id"], read["plate"], read["vehicle_make"], len(read["pictures"])) == (
        event.pk,
        "KSA4821",
        "Nissan",
        2,
    )
    assert on_entry[("visit", "opened")]["data"]["plate"] == "KSA4821"
    closed = on_exit[("visit", "closed")]["data"]
    assert closed["status"] == "closed" and closed["duration_seconds"] is not None

    visit = Visit.objects.get(plate="KSA4821")
    assert visit.status == Visit.Status.CLOSED and visit.entry.event_id == event.pk

    assert receiver.wait_for(5)  # entry: read + passage; exit: read + passage + closed visit
    assert all(verify(SECRET, r.body, r.headers["X-Damanat-Signature"]) for r in receiver.requests)
    kinds = sorted(r.json["kind"] for r in receiver.requests)
    assert kinds == ["passage", "passage", "plate_read", "plate_read", "visit_closed"]
    assert wait_until(lambda: set(ExportRecord.objects.values_list("status", flat=True)) == {"exported"})
