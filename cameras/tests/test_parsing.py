"""Parsers: every format real cameras push, read into the same normalised fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cameras.choices import EventType
from cameras.parsing import PayloadError, parse_push
from cameras.simulator import TINY_JPEG

from .conftest import FIXTURE_DAY, RIYADH, multipart_type, payload


def parse(name: str, content_type: str = "application/xml", received_at=FIXTURE_DAY):
    return parse_push(payload(name), content_type, received_at)


def test_seed_isapi_ver20_fielddetection_reads_every_field():
    event = parse("isapi_ver20_fielddetection.xml")
    assert event.event_type == EventType.FIELD_DETECTION
    assert event.device_serial == "DS-2CD3783G2-IZSU-001"
    assert event.channel_id == 1
    assert event.channel_name == "ParkingZone-A"
    assert event.region_id == "zone-A"
    assert event.detection_target == "vehicle"
    assert event.event_description == "Intrusion detected"
    # A bare time is the facility's local time.
    assert event.trigger_time == datetime(2026, 2, 20, 8, 0, tzinfo=RIYADH)
    assert event.trigger_time.astimezone(UTC).hour == 5
    assert not event.trigger_time_flagged
    assert not event.is_heartbeat


def test_hikvision_ver20_without_declaration_keeps_namespaced_fields():
    event = parse("hikvision_ver20_fielddetection_vehicle.xml")
    assert (event.event_type, event.event_state) == ("fielddetection", "active")
    assert event.region_id == "2"
    assert event.detection_target == "vehicle"
    assert event.device_mac == "ac:b9:2f:49:44:75"
    assert event.device_ip == "192.168.1.101"
    assert event.channel_name == "COUR NORD"
    # Explicit +01:00 is honoured, not replaced by the facility zone.
    assert event.trigger_time == datetime(2026, 2, 20, 6, 51, 17, tzinfo=UTC)


def test_hikvision_ver10_isapi_1_0_vmd():
    event = parse("hikvision_ver10_vmd_isapi10.xml")
    assert event.event_type == EventType.VMD
    assert event.event_state == "active"
    assert event.channel_id == 1
    assert event.region_id == ""
    assert event.event_description == "Motion alarm"
    assert event.trigger_time == datetime(2026, 2, 21, 3, 37, 22, tzinfo=UTC)


def test_psialliance_namespace_and_extension_namespace():
    event = parse("psialliance_nvr_fielddetection.xml")
    assert event.event_type == EventType.FIELD_DETECTION
    assert event.channel_id == 34
    # serialNumber sits in a second namespace inside <Extensions>, with trailing whitespace.
    assert event.device_serial == "DS-7608NXI-I0/0P/S0000000000CCRRJ00000000WCVU"
    assert event.trigger_time == datetime(2026, 2, 20, 16, 16, 39, tzinfo=UTC)


def test_oem_namespace_and_time_without_seconds():
    event = parse("oem_stdcgi_vmd.xml")
    assert event.event_type == EventType.VMD
    assert event.region_id == "2"
    assert event.device_mac == "01:17:24:45:D9:F4"
    assert event.trigger_time == datetime(2026, 2, 20, 15, 27, tzinfo=UTC)
    assert not event.trigger_time_flagged


def test_no_namespace_blank_line_before_declaration_and_odd_case():
    body = payload("no_namespace_blank_line_linedetection.xml")
    assert body.startswith(b"\r\n\n<?xml")
    event = parse_push(body, "text/xml", FIXTURE_DAY)
    assert event.event_type == EventType.LINE_DETECTION  # sent as "LineDetection"
    assert event.region_id == "1"
    assert event.detection_target == "human"
    assert event.channel_name == "Gate lane"
    assert event.trigger_time == datetime(2026, 2, 20, 12, 36, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("hikvision_ver20_region_entrance.xml", EventType.REGION_ENTRANCE),
        ("hikvision_ver20_region_exiting.xml", EventType.REGION_EXITING),  # sent as REGIONEXITING
    ],
)
def test_region_events(name, kind):
    event = parse(name)
    assert event.event_type == kind
    assert event.region_id == "parking-row-A"
    assert event.detection_target == "vehicle"
    assert event.channel_name == "ParkingRow-A"


def test_anpr_xml_plate_fields():
    event = parse("hikvision_ver20_anpr_plate.xml")
    assert event.event_type == EventType.ANPR
    assert event.is_plate_read
    assert event.plate == "KH35192"
    assert event.original_plate == "KH35192"
    assert event.plate_confidence == 98.0
    assert event.direction == "forward"
    assert event.vehicle_type == "vehicle"
    assert event.vehicle_color == "white"
    assert event.plate_list == "allowList"
    assert event.device_uuid.startswith("20260220090001822007gWpi")
    assert event.trigger_time == datetime(2026, 2, 20, 6, 0, tzinfo=UTC)


def test_anpr_xml_unknown_plate_means_no_plate():
    event = parse("hikvision_ver20_anpr_unknown.xml")
    assert event.event_type == EventType.ANPR
    assert event.plate == ""
    assert event.original_plate == "unknown"
    assert event.plate_confidence == 0.0
    assert event.direction == "reverse"
    assert event.vehicle_type == "SUVMPV"
    assert event.vehicle_color == "white"
    assert event.plate_list == "otherList"


def test_hikvision_json_layout_with_anpr_object():
    event = parse("hikvision_json_anpr.json", "application/json")
    assert event.event_type == EventType.ANPR
    assert event.plate == "ABC1234"
    assert event.plate_confidence == 97.0
    assert event.vehicle_type == "SUV"
    assert event.plate_list == "blockList"
    assert event.channel_id == 1
    assert event.device_uuid == "0f8a6c2e-52b4-4d3c-9a4d-6b1f2e3a4b5c"
    assert event.device_serial == "DS-TCG406-E-0001"
    assert event.device_mac == "bc:5e:33:62:2a:5c"
    assert event.trigger_time == datetime(2026, 2, 20, 7, 0, tzinfo=UTC)


def test_wrapped_json_with_string_channel_and_lower_case_type():
    event = parse("hikvision_json_vmd.json", "application/json")
    assert event.event_type == EventType.VMD
    assert event.channel_id == 2
    assert event.detection_target == "vehicle"
    assert event.trigger_time == datetime(2026, 2, 20, 12, 0, tzinfo=UTC)


def test_seed_access_controller_event_json():
    event = parse("seed_access_controller.json", "application/json")
    assert event.event_type == EventType.ACCESS_CONTROLLER
    assert event.is_plate_read
    assert event.plate == "ABC-1234"
    assert event.plate_list == "normal"
    assert event.device_serial == "DS-2CD7A26-ENTRY-001"
    assert event.extra == {
        "name": "Ahmed Al-Sayed",
        "employeeNoString": "EMP-042",
        "userType": "normal",
        "majorEventType": 1,
        "subEventType": 1,
    }
    assert event.picture_urls == ["http://192.168.1.104/ISAPI_FILES/snapshot.jpg"]
    assert event.trigger_time == datetime(2026, 2, 20, 9, 0, tzinfo=UTC)


def test_access_controller_json_without_event_type_is_still_read():
    body = b'{"AccessControllerEvent": {"cardNo": "XYZ-9", "majorEventType": 5}}'
    event = parse_push(body, "application/json", FIXTURE_DAY)
    assert event.event_type == EventType.ACCESS_CONTROLLER
    assert event.plate == "XYZ-9"


@pytest.mark.parametrize(
    ("name", "kind", "expected_type", "pictures"),
    [
        (
            "multipart_anpr_xml.bin",
            EventType.ANPR,
            "ANPR",
            ["licensePlatePicture.jpg", "detectionPicture.jpg"],
        ),
        ("multipart_movedetection.bin", EventType.VMD, "VMD", ["VMDImage"]),
        (
            "multipart_named_event_type.bin",
            EventType.REGION_ENTRANCE,
            "regionEntrance",
            ["detectionPicture.jpg"],
        ),
        ("multipart_anpr_json.bin", EventType.ANPR, "ANPR", ["licensePlatePicture.jpg"]),
        (
            "multipart_access_controller.bin",
            EventType.ACCESS_CONTROLLER,
            "AccessControllerEvent",
            ["Picture"],
        ),
    ],
)
def test_multipart_event_part_found_by_any_name_and_pictures_kept(name, kind, expected_type, pictures):
    event = parse(name, multipart_type(name))
    assert event.event_type == kind == expected_type
    assert [p.name for p in event.pictures] == pictures
    assert all(p.data == TINY_JPEG and p.content_type == "image/jpeg" for p in event.pictures)
    # The stored document is the event part only, not the pictures.
    assert event.event_text.lstrip()[:1] in (b"<", b"{")
    assert b"\xff\xd8" not in event.event_text


def test_multipart_movedetection_reads_dyn_channel():
    name = "multipart_movedetection.bin"
    assert parse(name, multipart_type(name)).channel_id == 3


def test_multipart_picture_bytes_survive_line_breaks():
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\r\n\r\n--not-a-boundary\n\xff\xd9"
    body = (
        b'--B\r\nContent-Disposition: form-data; name="anpr.xml"\r\nContent-Type: application/xml\r\n\r\n'
        + payload("hikvision_ver20_anpr_plate.xml")
        + b'\r\n--B\r\nContent-Disposition: form-data; name="pic"\r\nContent-Type: image/jpeg\r\n\r\n'
        + jpeg
        + b"\r\n--B--\r\n"
    )
    event = parse_push(body, "multipart/form-data; boundary=B", FIXTURE_DAY)
    assert event.plate == "KH35192"
    assert event.pictures[0].data == jpeg


@pytest.mark.parametrize(
    "name",
    [
        "hikvision_ver10_videoloss_heartbeat.xml",
        "hikvision_ver20_videoloss_inactive_nvr.xml",
        "isapi_com_heartbeat.xml",
    ],
)
def test_heartbeats(name):
    assert parse(name).is_heartbeat


def test_videoloss_active_is_an_event_not_a_heartbeat():
    body = payload("hikvision_ver20_videoloss_inactive_nvr.xml").replace(b">inactive<", b">active<")
    event = parse_push(body, "application/xml", FIXTURE_DAY)
    assert event.event_type == EventType.VIDEO_LOSS
    assert not event.is_heartbeat


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FIELDDETECTION", EventType.FIELD_DETECTION),
        ("LineDetection", EventType.LINE_DETECTION),
        ("regionentrance", EventType.REGION_ENTRANCE),
        ("vmd", EventType.VMD),
        ("anpr", EventType.ANPR),
        ("accesscontrollerevent", EventType.ACCESS_CONTROLLER),
        ("  regionExiting \n", EventType.REGION_EXITING),
        ("faceCapture", "faceCapture"),
    ],
)
def test_event_types_are_case_insensitive(raw, expected):
    body = f"<EventNotificationAlert><eventType>{raw}</eventType></EventNotificationAlert>".encode()
    assert parse_push(body, "application/xml", FIXTURE_DAY).event_type == expected


def _with_time(text: str) -> bytes:
    return (
        f"<EventNotificationAlert xmlns='http://www.hikvision.com/ver20/XMLSchema'>"
        f"<eventType>VMD</eventType><dateTime>{text}</dateTime></EventNotificationAlert>"
    ).encode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-20T09:00:00+03:00", datetime(2026, 2, 20, 6, 0, tzinfo=UTC)),
        ("2026-02-20T09:00:00+0300", datetime(2026, 2, 20, 6, 0, tzinfo=UTC)),
        ("2026-02-20T06:00:00Z", datetime(2026, 2, 20, 6, 0, tzinfo=UTC)),
        ("2026-02-19T22:00:00-8:00", datetime(2026, 2, 20, 6, 0, tzinfo=UTC)),
        ("2026-02-20T09:00:00", datetime(2026, 2, 20, 6, 0, tzinfo=UTC)),
        ("2026-02-20 09:00:00", datetime(2026, 2, 20, 6, 0, tzinfo=UTC)),
        ("2026-02-20T09:00:00.250", datetime(2026, 2, 20, 6, 0, 0, 250000, tzinfo=UTC)),
    ],
)
def test_trigger_time_offset_honoured_and_bare_time_is_riyadh(text, expected):
    event = parse_push(_with_time(text), "application/xml", FIXTURE_DAY)
    assert event.trigger_time == expected
    assert not event.trigger_time_flagged


def test_compact_abs_time_when_no_date_time():
    body = (
        b"<EventNotificationAlert><eventType>ANPR</eventType>"
        b"<ANPR><licensePlate>A1</licensePlate><pictureInfoList><pictureInfo>"
        b"<absTime>20260220090000555</absTime></pictureInfo></pictureInfoList></ANPR>"
        b"</EventNotificationAlert>"
    )
    event = parse_push(body, "application/xml", FIXTURE_DAY)
    assert event.trigger_time == datetime(2026, 2, 20, 6, 0, 0, 555000, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a time",
        "2015-06-24T19:37:22--8:00",
        "2026-13-45T99:00:00",
        "2034-01-04T15:57:03+08:00",  # a camera clock years ahead
        "1970-01-01T00:00:00Z",  # a camera that lost its clock
        "0001-01-01T00:00:00+14:00",  # would overflow when compared
    ],
)
def test_unparseable_or_absurd_time_falls_back_to_receive_time_flagged(text):
    received = FIXTURE_DAY + timedelta(seconds=7)
    event = parse_push(_with_time(text), "application/xml", received)
    assert event.trigger_time == received
    assert event.trigger_time_flagged


def test_time_within_skew_is_kept():
    received = FIXTURE_DAY
    event = parse_push(_with_time("2026-02-18T12:00:00+03:00"), "application/xml", received)
    assert not event.trigger_time_flagged
    assert event.trigger_time == received - timedelta(days=2)


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"", "application/xml", "empty body"),
        (b"  \r\n ", "application/xml", "empty body"),
        (b"<EventNotificationAlert><eventType>VMD</eventType>", "application/xml", "malformed XML"),
        (
            b"<ResponseStatus><statusCode>1</statusCode></ResponseStatus>",
            "application/xml",
            "unsupported XML document <ResponseStatus>",
        ),
        (b'{"eventType": "VMD"', "application/json", "malformed JSON"),
        (b'[{"eventType": "VMD"}]', "application/json", "JSON body must be an object, got list"),
        (b'"VMD"', "application/json", "JSON body must be an object, got str"),
        (b'{"foo": 1}', "application/json", "JSON event has no eventType"),
        (b'{"eventType": "VMD", "x": "\xff\xfe"}', "application/json", "not valid UTF-8"),
        (
            b'<?xml version="1.0" encoding="utf-8"?><EventNotificationAlert><eventType>\xff\xfe</eventType>'
            b"</EventNotificationAlert>",
            "application/xml",
            "malformed XML",
        ),
        (b"\x89PNG\r\n\x1a\n", "image/png", "unsupported content type 'image/png'"),
        (
            b"--B\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xd9\r\n--B--\r\n",
            "multipart/form-data; boundary=B",
            "no XML or JSON event part",
        ),
        (b"whatever", "multipart/form-data", "without a boundary"),
    ],
)
def test_unreadable_payloads_raise_with_a_reason(body, content_type, reason):
    with pytest.raises(PayloadError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        parse_push(body, content_type, FIXTURE_DAY)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<EventNotificationAlert><eventType>&lol3;</eventType></EventNotificationAlert>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<EventNotificationAlert><eventType>&xxe;</eventType></EventNotificationAlert>"""
PLAIN_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE EventNotificationAlert SYSTEM "http://127.0.0.1:9/evil.dtd">
<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, PLAIN_DTD])
def test_dtds_and_entities_are_refused(body):
    with pytest.raises(PayloadError, match="forbidden XML construct: DTDForbidden"):
        parse_push(body, "application/xml", FIXTURE_DAY)


def test_mislabelled_bodies_are_read_by_their_first_byte():
    xml = payload("isapi_ver20_fielddetection.xml")
    as_json = parse_push(xml, "application/json", FIXTURE_DAY)
    as_form = parse_push(xml, "application/x-www-form-urlencoded", FIXTURE_DAY)
    json_as_xml = parse_push(payload("seed_access_controller.json"), "application/xml", FIXTURE_DAY)
    assert as_json.region_id == as_form.region_id == "zone-A"
    assert json_as_xml.plate == "ABC-1234"


def test_json_with_byte_order_mark():
    body = b"\xef\xbb\xbf" + payload("seed_access_controller.json")
    assert parse_push(body, "application/json", FIXTURE_DAY).plate == "ABC-1234"


@pytest.mark.parametrize("name", ["isapi_ver20_fielddetection.xml", "seed_access_controller.json"])
def test_missing_content_type_is_sniffed(name):
    assert parse_push(payload(name), "", FIXTURE_DAY).event_type in (
        EventType.FIELD_DETECTION,
        EventType.ACCESS_CONTROLLER,
    )


def _lf_only(name: str) -> bytes:
    return payload(name).replace(b"\r\n", b"\n")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_lf_only("multipart_anpr_xml.bin"), 'multipart/form-data; boundary="MIME_boundary"'),
        (
            payload("multipart_anpr_xml.bin").rsplit(b"--MIME_boundary--", 1)[0],  # stream cut before the end
            "multipart/form-data; charset=utf-8; boundary=MIME_boundary",
        ),
        (
            b"preamble\r\n" + payload("multipart_anpr_xml.bin") + b"epilogue\r\n",
            "Multipart/Form-Data; Boundary=MIME_boundary",
        ),
    ],
)
def test_multipart_variants(body, content_type):
    event = parse_push(body, content_type, FIXTURE_DAY)
    assert event.plate == "KH35192"
    assert [p.data for p in event.pictures] == [TINY_JPEG, TINY_JPEG]


def test_multipart_base64_part():
    import base64

    body = (
        b'--B\r\nContent-Disposition: form-data; name="anpr.xml"\r\nContent-Type: application/xml\r\n\r\n'
        + payload("hikvision_ver20_anpr_plate.xml")
        + b'\r\n--B\r\nContent-Disposition: form-data; name="pic"\r\nContent-Type: image/jpeg\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(TINY_JPEG) + b"\r\n--B--\r\n"
    )
    assert parse_push(body, "multipart/form-data; boundary=B", FIXTURE_DAY).pictures[0].data == TINY_JPEG


def test_multipart_body_under_a_plain_content_type_is_split():
    event = parse_push(payload("multipart_anpr_xml.bin"), "application/xml", FIXTURE_DAY)
    assert event.plate == "KH35192" and len(event.pictures) == 2


def test_bare_document_declared_multipart_is_read():
    body = payload("hikvision_ver20_anpr_plate.xml")
    assert parse_push(body, "multipart/form-data; boundary=X", FIXTURE_DAY).plate == "KH35192"
