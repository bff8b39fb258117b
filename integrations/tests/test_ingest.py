from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cameras import dispatch
from cameras.models import Camera, CameraEvent
from cameras.simulator import TINY_JPEG

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
READ = {
    "camera": "CAM-ENTRY",
    "plate": "ABC1234",
    "confidence": 0.93,
    "ocr_candidates": [{"plate": "ABC1234", "confidence": 0.93}, {"plate": "A8C1234", "confidence": 0.41}],
    "vehicle_type": "sedan",
    "vehicle_colour": "white",
    "vehicle_make": "Toyota",
    "tpms": {"front_left": 32.5, "front_right": 32.0},
    "timestamp": "2026-03-01T08:15:00+03:00",
    "event_id": "edge-7f3c-0001",
}


def jpeg(name: str, data: bytes = TINY_JPEG, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.jpg", data, content_type=content_type)


def post_read(api, fields: dict, **files):
    return api.post("/api/v1/events/ingest", {"event": json.dumps(fields), **files}, format="multipart")


@pytest.fixture
def handled(entry_camera):
    """A stand-in for the ANPR app's handler: records the events it was given."""
    seen: list[int] = []
    dispatch.register("test.anpr", lambda events: seen.extend(e.pk for e in events), event_types=["ANPR"])
    yield seen
    dispatch._handlers.pop("test.anpr")


def test_plate_read_with_pictures_becomes_an_anpr_event(api, entry_camera, handled, settings):
    settings.EVENT_MAX_CLOCK_SKEW_HOURS = 24 * 365 * 10

    response = post_read(api, READ, frame=jpeg("frame"), crop=jpeg("crop", PNG, "image/png"))

    assert response.status_code == 201, response.content
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert (event.event_type, event.camera, event.plate, event.plate_confidence) == (
        "ANPR",
        entry_camera,
        "ABC1234",
        93.0,
    )
    assert (event.vehicle_type, event.vehicle_color) == ("sedan", "white")
    assert event.extra["vehicle_make"] == "Toyota" and event.extra["tpms"]["front_left"] == 32.5
    assert event.extra["ocr_candidates"][1]["plate"] == "A8C1234"
    assert event.trigger_time.isoformat() == "2026-03-01T05:15:00+00:00"
    assert sorted((p.name, p.content_type) for p in event.pictures.all()) == [
        ("crop", "image/png"),
        ("frame", "image/jpeg"),
    ]
    assert event.pictures.get(name="frame").image.read() == TINY_JPEG
    assert handled == [event.pk] and event.status == CameraEvent.Status.ACCEPTED
    body = response.json()["event"]
    assert body["vehicle_make"] == "Toyota" and body["source"] == "edge" and len(body["pictures"]) == 2


def test_plate_read_without_pictures_as_json(api, entry_camera, handled):
    response = api.post(
        "/api/v1/events/ingest",
        {"camera_id": entry_camera.pk, "plate": "XYZ987", "confidence": 88},
        format="json",
    )

    assert response.status_code == 201
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert (event.plate, event.plate_confidence, event.pictures.count()) == ("XYZ987", 88.0, 0)
    assert not event.trigger_time_flagged or event.trigger_time == event.received_at


def test_plate_read_as_separate_form_fields(api, entry_camera, handled):
    response = api.post(
        "/api/v1/events/ingest",
        {"camera": "Entry gate", "plate": "unknown", "ocr_candidates": '["?"]', "frame": jpeg("frame")},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert (event.plate, event.original_plate, event.pictures.count()) == ("", "unknown", 1)


def test_resent_read_is_stored_once(api, entry_camera, handled):
    first = post_read(api, READ, frame=jpeg("frame"))
    again = post_read(api, READ, frame=jpeg("frame"))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "duplicate"
    assert again.json()["event_id"] == first.json()["event_id"]
    assert CameraEvent.objects.count() == 1 and len(handled) == 1


def test_rejects_a_picture_that_is_not_an_image(api, entry_camera):
    response = post_read(api, READ, frame=jpeg("frame"), crop=jpeg("crop", b"MZ\x90\x00 not an image"))

    assert response.status_code == 400
    assert "crop" in response.json()
    assert CameraEvent.objects.count() == 0


def test_rejects_an_oversized_picture(api, entry_camera, settings):
    settings.EDGE_IMAGE_MAX_BYTES = 1024

    response = post_read(api, READ, frame=jpeg("frame", TINY_JPEG + b"\x00" * 2048))

    assert response.status_code == 413
    assert "frame" in response.json()["detail"]
    assert CameraEvent.objects.count() == 0


def test_refuses_a_huge_body_before_reading_it(api, entry_camera, settings):
    settings.EDGE_IMAGE_MAX_BYTES = 1024

    response = post_read(api, READ, frame=jpeg("frame", TINY_JPEG + b"\x00" * 400_000))

    assert response.status_code == 413 and "request body" in response.json()["detail"]
    assert CameraEvent.objects.count() == 0


@pytest.mark.parametrize(
    "fields, error",
    [
        ({**READ, "camera": "CAM-NOPE"}, "camera"),
        ({"plate": "ABC"}, "camera"),
        ({**READ, "confidence": 140}, "confidence"),
        ({"camera": "CAM-ENTRY"}, "plate"),
    ],
)
def test_rejects_invalid_fields(api, entry_camera, fields, error):
    response = post_read(api, fields)

    assert response.status_code == 400
    assert error in response.json()


def test_rejects_a_broken_json_document(api, entry_camera):
    response = api.post("/api/v1/events/ingest", {"event": "{not json"}, format="multipart")

    assert response.status_code == 400 and "event" in response.json()


def test_read_from_a_disabled_camera_is_kept_but_not_acted_on(api, entry_camera, handled):
    Camera.objects.filter(pk=entry_camera.pk).update(enabled=False)

    response = post_read(api, READ)

    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert CameraEvent.objects.get().status == CameraEvent.Status.IGNORED and handled == []


def test_ingest_needs_permission(outsider_api, entry_camera):
    assert post_read(outsider_api, READ).status_code == 403


def test_ingest_with_a_token_over_http(client, integrator_token, entry_camera, handled):
    response = client.post(
        "/api/v1/events/ingest",
        {"event": json.dumps(READ), "frame": jpeg("frame")},
        HTTP_AUTHORIZATION=f"Token {integrator_token}",
    )

    assert response.status_code == 201
    detail = client.get(
        f"/api/v1/events/{response.json()['event_id']}", HTTP_AUTHORIZATION=f"Token {integrator_token}"
    )
    assert detail.status_code == 200 and detail.json()["plate"] == "ABC1234"
    extra = detail.json()["extra"]
    assert (extra["vehicle_make"], extra["tpms"]["front_right"], extra["ocr_candidates"][1]["plate"]) == (
        "Toyota",
        32.0,
        "A8C1234",
    )


def test_queued_processing_mode_leaves_the_read_to_the_drainer(api, entry_camera, handled, settings):
    from cameras import processing

    settings.EVENT_PROCESSING = "queued"

    response = post_read(api, READ, frame=jpeg("frame"))
    event = CameraEvent.objects.get(pk=response.json()["event_id"])
    assert (response.status_code, event.status, handled) == (201, CameraEvent.Status.QUEUED, [])

    assert processing.drain() == 1
    event.refresh_from_db()
    assert (event.status, handled) == (CameraEvent.Status.ACCEPTED, [event.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("body", [[None, None], "just text", 42])
def test_a_body_that_is_not_an_object_is_a_400(api, body):
    answer = api.post("/api/v1/events/ingest", body, format="json")
    assert answer.status_code == 400
