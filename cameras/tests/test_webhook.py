"""POST /api/v1/events/camera through Django's test client: the answer and the stored row."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import OperationalError, connection

from cameras.choices import EventType
from cameras.models import Camera, CameraEvent, EventPicture

from .conftest import FIXTURE_DAY, WEBHOOK, multipart_type, payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_handlers", "at_fixture_day")]


def push(client, body: bytes, content_type: str = "application/xml", ip: str = "192.168.1.103", **extra):
    return client.post(WEBHOOK, data=body, content_type=content_type, REMOTE_ADDR=ip, **extra)


def only_event() -> CameraEvent:
    assert CameraEvent.objects.count() == 1
    return CameraEvent.objects.get()


def test_accepted_push_is_stored_with_normalised_fields(client, camera):
    body = payload("hikvision_ver20_region_entrance.xml")
    response = push(client, body)
    assert response.status_code == 200
    event = only_event()
    assert response.json() == {
        "status": "accepted",
        "event_id": event.pk,
        "event_type": "regionEntrance",
        "reason": "",
    }
    assert event.camera == camera
    assert event.status == CameraEvent.Status.ACCEPTED
    assert (event.event_type, event.event_state, event.region_id) == (
        "regionEntrance",
        "active",
        "parking-row-A",
    )
    assert event.source_ip == "192.168.1.103"
    assert bytes(event.raw_body) == body
    assert event.body_size == len(body)
    assert event.headers["CONTENT_TYPE"] == "application/xml"
    assert event.received_at == FIXTURE_DAY
    assert event.processed_at is not None
    camera.refresh_from_db()
    assert camera.last_seen_at == camera.last_event_at == FIXTURE_DAY


@pytest.mark.parametrize(
    ("name", "content_type", "event_type"),
    [
        ("isapi_ver20_fielddetection.xml", "application/xml", EventType.FIELD_DETECTION),
        ("hikvision_ver20_fielddetection_vehicle.xml", "application/xml", EventType.FIELD_DETECTION),
        ("hikvision_ver10_vmd_isapi10.xml", "text/xml", EventType.VMD),
        ("psialliance_nvr_fielddetection.xml", "application/xml", EventType.FIELD_DETECTION),
        ("oem_stdcgi_vmd.xml", "application/xml", EventType.VMD),
        ("no_namespace_blank_line_linedetection.xml", "text/plain", EventType.LINE_DETECTION),
        ("hikvision_ver20_region_exiting.xml", "application/xml", EventType.REGION_EXITING),
        ("hikvision_ver20_anpr_plate.xml", "application/xml", EventType.ANPR),
        ("hikvision_ver20_anpr_unknown.xml", "application/xml", EventType.ANPR),
        ("hikvision_json_anpr.json", "application/json", EventType.ANPR),
        ("hikvision_json_vmd.json", "application/json; charset=utf-8", EventType.VMD),
        ("seed_access_controller.json", "application/json", EventType.ACCESS_CONTROLLER),
    ],
)
def test_every_fixture_is_accepted(client, camera, name, content_type, event_type):
    response = push(client, payload(name), content_type)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["event_type"] == event_type
    assert only_event().event_type == event_type


def test_anpr_unknown_plate_is_stored_without_plate(client, entry_camera):
    push(client, payload("hikvision_ver20_anpr_unknown.xml"), ip="192.168.1.104")
    event = only_event()
    assert (event.plate, event.original_plate, event.vehicle_type) == ("", "unknown", "SUVMPV")


@pytest.mark.parametrize(
    "name",
    [
        "multipart_anpr_xml.bin",
        "multipart_movedetection.bin",
        "multipart_named_event_type.bin",
        "multipart_anpr_json.bin",
        "multipart_access_controller.bin",
    ],
)
def test_multipart_pictures_are_stored_and_linked(client, camera, name):
    from cameras.simulator import TINY_JPEG

    body = payload(name)
    response = push(client, body, multipart_type(name))
    assert response.json()["status"] == "accepted"
    event = only_event()
    pictures = list(event.pictures.order_by("id"))
    assert pictures
    for picture in pictures:
        assert picture.image.read() == TINY_JPEG
        assert picture.size == len(TINY_JPEG)
        assert len(picture.sha256) == 64
    # The raw body keeps the event document; the JPEGs live in files.
    assert b"\xff\xd8" not in bytes(event.raw_body)
    assert event.body_size == len(body)


@pytest.mark.parametrize(
    "name",
    [
        "hikvision_ver10_videoloss_heartbeat.xml",
        "hikvision_ver20_videoloss_inactive_nvr.xml",
        "isapi_com_heartbeat.xml",
    ],
)
def test_heartbeats_mark_the_camera_alive_and_are_counted_not_logged(client, camera, name):
    first = push(client, payload(name))
    push(client, payload(name))
    assert first.status_code == 200
    assert first.json()["status"] == "ignored" and first.json()["reason"] == "heartbeat"
    assert first.json()["event_id"] is None
    assert CameraEvent.objects.count() == 0
    camera.refresh_from_db()
    assert camera.heartbeat_count == 2
    assert camera.last_seen_at == camera.last_heartbeat_at == FIXTURE_DAY


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<EventNotificationAlert><eventType>&lol4;</eventType></EventNotificationAlert>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<EventNotificationAlert><eventType>&xxe;</eventType></EventNotificationAlert>"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE EventNotificationAlert [<!ELEMENT EventNotificationAlert ANY>]>
<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>"""


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"<EventNotificationAlert><eventType>VMD</eventType>", "application/xml", "malformed XML"),
        (BILLION_LAUGHS, "application/xml", "forbidden XML construct: DTDForbidden"),
        (EXTERNAL_ENTITY, "application/xml", "forbidden XML construct: DTDForbidden"),
        (DTD_ONLY, "application/xml", "forbidden XML construct: DTDForbidden"),
        (b"", "application/xml", "empty body"),
        (
            b"<EventNotificationAlert><eventType>\xff\xfeVMD</eventType></EventNotificationAlert>",
            "application/xml",
            "malformed XML",
        ),
        (b'{"eventType": "\xc3\x28"}', "application/json", "JSON body is not valid UTF-8"),
        (b"[1, 2, 3]", "application/json", "JSON body must be an object, got list"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "unsupported content type 'image/png'"),
    ],
)
def test_unreadable_pushes_are_stored_rejected_and_answered_200(client, camera, body, content_type, reason):
    response = push(client, body, content_type)
    assert response.status_code == 200
    event = only_event()
    assert response.json() == {
        "status": "rejected",
        "event_id": event.pk,
        "event_type": "",
        "reason": event.reason,
    }
    assert reason in event.reason
    assert event.status == CameraEvent.Status.REJECTED
    assert event.camera == camera
    assert bytes(event.raw_body) == body
    assert b"lollol" not in bytes(event.raw_body) and "root:" not in event.reason


def test_wrong_content_type_with_readable_body_is_accepted(client, camera):
    response = push(client, payload("isapi_ver20_fielddetection.xml"), "application/x-www-form-urlencoded")
    assert response.json()["status"] == "accepted"
    assert only_event().region_id == "zone-A"


def test_body_over_the_limit_is_413_with_headers_and_first_kib_kept(client, camera, settings):
    body = b"<EventNotificationAlert>" + b"x" * (20 * 1024 * 1024)
    response = push(client, body, HTTP_USER_AGENT="Hikvision-Webs")
    assert response.status_code == 413
    event = only_event()
    assert response.json() == {
        "status": "rejected",
        "event_id": event.pk,
        "event_type": "",
        "reason": f"body larger than {settings.EVENT_MAX_BODY_BYTES} bytes",
    }
    assert event.status == CameraEvent.Status.REJECTED
    assert bytes(event.raw_body) == body[:1024]
    assert event.body_size == len(body)
    assert event.headers["CONTENT_LENGTH"] == str(len(body))
    assert event.headers["HTTP_USER_AGENT"] == "Hikvision-Webs"
    assert event.camera == camera


def test_multipart_has_its_own_larger_limit(client, camera, settings):
    settings.EVENT_MAX_BODY_BYTES = 100
    name = "multipart_anpr_xml.bin"
    assert push(client, payload(name), multipart_type(name)).status_code == 200
    settings.EVENT_MAX_MULTIPART_BYTES = 1000
    assert push(client, payload(name), multipart_type(name)).status_code == 413


def test_unknown_sender_is_stored_not_acted_on_and_discovered(client, monkeypatch):
    from cameras import dispatch

    seen = []
    dispatch.register("test.spy", seen.extend)
    body = payload("hikvision_ver20_fielddetection_vehicle.xml")
    response = push(client, body, ip="10.9.8.7")
    assert response.status_code == 200
    event = only_event()
    assert response.json() == {
        "status": "ignored",
        "event_id": event.pk,
        "event_type": "fielddetection",
        "reason": "unknown camera, awaiting approval",
    }
    assert seen == []
    discovered = Camera.objects.get(ip_address="10.9.8.7")
    assert event.camera == discovered
    assert (discovered.approval, discovered.enabled) == (Camera.Approval.DISCOVERED, False)
    assert discovered.code == "NEW-10.9.8.7"
    assert discovered.mac_address == "ac:b9:2f:49:44:75"
    assert discovered.name == "COUR NORD"
    assert discovered.last_seen_at == FIXTURE_DAY
    assert list(Camera.objects.active()) == []

    discovered.approve()
    again = push(client, body.replace(b"07:51:17", b"07:52:17"), ip="10.9.8.7")
    assert again.json()["status"] == "accepted"
    assert [e.pk for e in seen] == [again.json()["event_id"]]


def test_disabled_camera_events_are_stored_and_ignored(client, camera):
    Camera.objects.filter(pk=camera.pk).update(enabled=False)
    response = push(client, payload("isapi_ver20_fielddetection.xml"))
    assert response.json()["status"] == "ignored"
    assert response.json()["reason"] == "camera disabled"
    assert only_event().status == CameraEvent.Status.IGNORED


def test_duplicate_push_with_uuid_is_stored_once(client, entry_camera):
    body = payload("hikvision_ver20_anpr_plate.xml")
    first = push(client, body, ip="192.168.1.104")
    second = push(client, body, ip="192.168.1.104")
    event = only_event()
    assert first.json()["event_id"] == event.pk
    assert second.status_code == 200
    assert second.json() == {
        "status": "duplicate",
        "event_id": event.pk,
        "event_type": "ANPR",
        "reason": "same event already received",
    }


def test_the_same_body_again_is_a_resend(client, camera):
    body = payload("hikvision_ver20_region_entrance.xml")
    first = push(client, body).json()
    resent = push(client, body).json()
    assert resent == {
        "status": "duplicate",
        "event_id": first["event_id"],
        "event_type": "regionEntrance",
        "reason": "same event already received",
    }
    assert CameraEvent.objects.count() == 1


def test_two_cars_in_the_same_second_are_two_events(client, camera):
    """Pushes that differ only in activePostCount are two vehicles, not a re-send."""
    body = payload("hikvision_ver20_region_entrance.xml")
    first = push(client, body).json()
    second = push(client, body.replace(b"<activePostCount>1<", b"<activePostCount>2<")).json()
    assert first["status"] == second["status"] == "accepted"
    assert first["event_id"] != second["event_id"]


def test_resent_body_with_unusable_time_is_a_duplicate(client, camera):
    body = b"<EventNotificationAlert><eventType>VMD</eventType><eventState>active</eventState></EventNotificationAlert>"
    first = push(client, body).json()
    second = push(client, body).json()
    assert second["status"] == "duplicate" and second["event_id"] == first["event_id"]
    assert only_event().trigger_time_flagged


def test_database_refusing_the_write_answers_503_and_stores_nothing(client, camera, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def refuse(execute, sql, params, many, context):
        if "INSERT" in sql and "cameras_cameraevent" in sql:
            raise OperationalError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    name = "multipart_anpr_xml.bin"
    with connection.execute_wrapper(refuse):
        response = push(client, payload(name), multipart_type(name), ip="10.1.1.1")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "status": "error",
        "event_id": None,
        "event_type": "",
        "reason": "event could not be stored, retry later",
    }
    assert "No space" not in response.content.decode()
    assert CameraEvent.objects.count() == EventPicture.objects.count() == 0
    # The sender's discovery was rolled back with the event, and no picture file is left.
    assert not Camera.objects.filter(ip_address="10.1.1.1").exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_unexpected_error_is_503_never_500(client, camera, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("cameras.ingest.parse_push", explode)
    response = push(client, payload("isapi_ver20_fielddetection.xml"))
    assert response.status_code == 503
    assert "bug" not in response.content.decode()


@pytest.mark.postgres
def test_postgres_trigger_refusing_inserts_answers_503(client, camera):
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION refuse_event() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'disk full' USING ERRCODE = '53100'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_event BEFORE INSERT ON cameras_cameraevent
            FOR EACH ROW EXECUTE FUNCTION refuse_event();
        """)
    response = push(client, payload("isapi_ver20_fielddetection.xml"))
    assert response.status_code == 503
    assert CameraEvent.objects.count() == 0
    camera.refresh_from_db()
    assert camera.last_seen_at is None


@pytest.mark.postgres
def test_postgres_failure_after_the_insert_rolls_the_whole_push_back(client, camera):
    """The event row is inserted, then the status update fails: nothing is left half-stored."""
    from cameras import dispatch

    dispatch.register("test.noop", lambda event: None)
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION refuse_update() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'read-only' USING ERRCODE = '25006'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_update BEFORE UPDATE ON cameras_cameraevent
            FOR EACH ROW EXECUTE FUNCTION refuse_update();
        """)
    response = push(client, payload("isapi_ver20_fielddetection.xml"))
    assert response.status_code == 503
    assert CameraEvent.objects.count() == 0
    camera.refresh_from_db()
    assert camera.last_seen_at is None


def test_no_handler_push_uses_few_queries(client, entry_camera, django_assert_max_num_queries):
    # Known camera, event with a UUID: camera lookup, insert, last-seen update
    # (plus the savepoint pair the test transaction adds around the push).
    with django_assert_max_num_queries(5) as captured:
        push(client, payload("hikvision_ver20_anpr_plate.xml"), ip="192.168.1.104")
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    assert statements.count("SELECT") == 1
    assert statements.count("INSERT") == 1
    assert statements.count("UPDATE") == 1
    assert only_event().status == CameraEvent.Status.ACCEPTED


def test_push_with_nothing_else_to_do_is_one_statement(client, entry_camera, django_assert_num_queries):
    push(client, payload("hikvision_ver20_anpr_plate.xml"), ip="192.168.1.104")
    body = payload("hikvision_ver20_anpr_plate.xml").replace(b"<UUID>", b"<UUID>2")
    # Last-seen was just written, no handler runs now: the camera lookup (not cached in
    # tests) and the INSERT are the whole push.
    with django_assert_num_queries(2) as captured:
        answer = push(client, body, ip="192.168.1.104").json()
    assert captured.captured_queries[1]["sql"].startswith("INSERT")
    assert answer["status"] == "accepted"
    assert CameraEvent.objects.filter(pk=answer["event_id"]).exists()


def test_last_seen_is_written_at_most_once_a_second(
    client, camera, monkeypatch, django_assert_max_num_queries
):
    body = payload("hikvision_ver20_region_entrance.xml")
    push(client, body)
    with django_assert_max_num_queries(6) as captured:
        push(client, body.replace(b"parking-row-A", b"parking-row-B"))
    assert not any(q["sql"].startswith("UPDATE") for q in captured.captured_queries)
    monkeypatch.setattr("django.utils.timezone.now", lambda: FIXTURE_DAY + timedelta(seconds=2))
    push(client, body.replace(b"parking-row-A", b"parking-row-C"))
    camera.refresh_from_db()
    assert camera.last_seen_at == FIXTURE_DAY + timedelta(seconds=2)


def test_nothing_secret_reaches_logs_headers_or_answers(client, camera_with_push_credentials, caplog):
    import base64

    caplog.set_level(logging.DEBUG)
    good = "Basic " + base64.b64encode(b"pusher:S3cret-push-Pa55").decode()
    bad = "Basic " + base64.b64encode(b"pusher:Wr0ng-guess-XYZ").decode()
    responses = [
        push(
            client,
            payload("isapi_ver20_fielddetection.xml"),
            ip="192.168.1.102",
            HTTP_AUTHORIZATION=bad,
            HTTP_COOKIE="sessionid=abcdef0123456789",
        ),
        push(client, b"<broken", ip="192.168.1.102", HTTP_AUTHORIZATION=good),
        push(client, payload("isapi_ver20_fielddetection.xml"), ip="192.168.1.102", HTTP_AUTHORIZATION=good),
    ]
    assert [r.status_code for r in responses] == [401, 200, 200]
    secrets = ["S3cret-push-Pa55", "Wr0ng-guess-XYZ", good.split()[1], bad.split()[1], "abcdef0123456789"]
    texts = [r.content.decode() for r in responses] + [caplog.text]
    texts += [str(e.headers) + e.reason for e in CameraEvent.objects.all()]
    for text in texts:
        for secret in secrets:
            assert secret not in text
    assert all("HTTP_AUTHORIZATION" not in e.headers for e in CameraEvent.objects.all())
    # The stored password is encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT push_password FROM cameras_camera WHERE code = 'CAM-02'")
        assert "S3cret" not in cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b'{"eventType": "VMD\\u0000", "channelID": 1, "AccessControllerEvent": {"cardNo": "AB\\u0000C"}}',
            "application/json",
        ),
        (
            b'{"eventType": "AccessControllerEvent", "AccessControllerEvent": {"cardNo": "\\ud800X", "name": "\\u0000"}}',
            "application/json",
        ),
        (b'{"eventType": "VMD", "channelID": -1}', "application/json"),
        (b'{"eventType": "VMD", "channelID": 99999999999999}', "application/json"),
        (
            b'--B\r\nContent-Disposition: form-data; name="ev\xff\xfe.xml"\r\nContent-Type: application/xml\r\n\r\n'
            b"<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>\r\n"
            b'--B\r\nContent-Disposition: form-data; name="p\xe9c\x00.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            b"\xff\xd8\xff\xd9\r\n--B--\r\n",
            "multipart/form-data; boundary=B",
        ),
    ],
)
def test_pushes_a_database_column_could_not_hold_are_still_stored(client, camera, body, content_type):
    """Otherwise the camera would get 503 and retry the same poison push forever."""
    response = push(client, body, content_type)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    event = only_event()
    assert "\x00" not in event.event_type + event.plate
    assert event.channel_id in (None, 1)


def test_absurd_declared_length_does_not_break_the_store(camera):
    from cameras.ingest import Push, reject_oversized

    lying = Push(
        body=b"<x/>", content_type="application/xml", source_ip="192.168.1.103", declared_size=99999999999999
    )
    assert reject_oversized(lying, 100).http_status == 413
    assert only_event().body_size == 2**31 - 1


def test_database_unreachable_at_lookup_is_503(client, camera, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("cameras.ingest._sender", unreachable)
    assert push(client, payload("isapi_ver20_fielddetection.xml")).status_code == 503


def test_staff_see_and_approve_a_discovered_camera_in_the_admin(client, admin_user):
    push(client, payload("isapi_ver20_fielddetection.xml"), ip="10.4.4.4")
    discovered = Camera.objects.get(ip_address="10.4.4.4")
    client.force_login(admin_user)
    listing = client.get("/admin/cameras/camera/?approval__exact=discovered")
    assert listing.status_code == 200
    assert b"NEW-10.4.4.4" in listing.content
    client.post("/admin/cameras/camera/", {"action": "approve_cameras", "_selected_action": [discovered.pk]})
    discovered.refresh_from_db()
    assert discovered.is_acting
    assert push(client, payload("oem_stdcgi_vmd.xml"), ip="10.4.4.4").json()["status"] == "accepted"
