from __future__ import annotations

import io
import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest

from cameras.isapi import ALLOW, BLOCK, HttpHost, ISAPIClient, PlateEntry, PlateUser, errors
from cameras.testing.fake_isapi import FakeISAPICamera

SECRET = "Hik-Pass-123"


def client_for(cam: FakeISAPICamera, password: str = SECRET, **options) -> ISAPIClient:
    return ISAPIClient(
        cam.host, port=cam.port, username=cam.username, password=password, label="CAM-T", **options
    )


def test_device_info_is_read_with_digest_auth(fake_camera):
    with client_for(fake_camera) as device:
        info = device.device_info()

    assert info.model == "DS-2CD3783G2-IZSU"
    assert info.serial_number == fake_camera.serial_number
    assert info.firmware_version == "V5.7.15 build 240201"
    assert info.mac_address == "44:47:cc:12:34:56"
    assert fake_camera.requests[0].authorized is False  # the challenge round trip
    assert fake_camera.requests[-1].headers["Authorization"].startswith("Digest ")


def test_wrong_password_is_an_auth_error_that_never_shows_the_password(fake_camera, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "Wr0ng-S3cret!"
    device = client_for(fake_camera, password=wrong)

    with pytest.raises(errors.AuthenticationFailed) as raised:
        device.device_info()

    assert raised.value.http_status == 401
    assert raised.value.status_label == "auth_failed"
    for text in (str(raised.value), repr(device), caplog.text):
        assert wrong not in text and SECRET not in text


def test_basic_auth_is_used_when_the_device_only_offers_basic():
    with FakeISAPICamera(auth="basic") as cam, client_for(cam) as device:
        assert device.device_info().model == cam.model
        assert cam.requests[-1].headers["Authorization"].startswith("Basic ")
        with pytest.raises(errors.AuthenticationFailed):
            client_for(cam, password="nope").device_info()


def test_slow_device_times_out(fake_camera):
    fake_camera.delay = 0.6
    with pytest.raises(errors.DeviceTimeout) as raised:
        client_for(fake_camera, timeout=0.2).device_info()
    assert raised.value.status_label == "timeout"


def test_nothing_listening_is_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(errors.ConnectionRefused):
        ISAPIClient("127.0.0.1", port=port, username="admin", password="x", timeout=1).device_info()


def test_http_host_is_written_in_slot_one_and_read_back(fake_camera):
    host = HttpHost(
        id=1,
        url="/api/v1/events/camera",
        ip_address="192.168.1.50",
        port=8080,
        parameter_format="JSON",
        auth_method="MD5digest",
        username="cam",
        password="p&ss<word>",
    )
    with client_for(fake_camera) as device:
        device.set_http_host(host)
        device.set_http_host(host)
        stored = device.http_host(1)

    assert list(fake_camera.http_hosts) == [1]
    assert fake_camera.http_hosts[1]["password"] == "p&ss<word>"  # escaped on the wire, intact
    assert stored == host  # the password is never read back, and not compared


def test_push_password_over_sixteen_characters_is_refused_as_bad_content(fake_camera):
    host = HttpHost(
        id=1,
        url="/e",
        ip_address="10.0.0.5",
        port=80,
        auth_method="MD5digest",
        username="cam",
        password="x" * 17,
    )
    with pytest.raises(errors.BadXmlContent) as raised:
        client_for(fake_camera).set_http_host(host)
    assert raised.value.http_status == 400 and raised.value.sub_status == "badXmlContent"
    assert raised.value.status_code == 6


def test_broken_xml_is_bad_format(fake_camera):
    with pytest.raises(errors.BadXmlFormat) as raised:
        client_for(fake_camera).request(
            "PUT",
            "/ISAPI/Event/notification/httpHosts/1",
            body=b"<HttpHostNotification><id>1</id>",
            content_type="application/xml",
        )
    assert raised.value.status_code == 5


def test_trigger_link_keeps_other_notifications_and_is_idempotent(fake_camera):
    fake_camera.triggers["VMD-1"] = [
        {"id": "center", "method": "center", "recurrence": "", "httpHostID": None}
    ]
    with client_for(fake_camera) as device:
        device.set_http_host(HttpHost(id=1, url="/e", ip_address="10.0.0.5", port=80))
        assert device.link_trigger("VMD") is True
        assert device.link_trigger("VMD") is False

    methods = [(n["method"], n["httpHostID"]) for n in fake_camera.triggers["VMD-1"]]
    assert methods == [("center", None), ("HTTP", 1)]
    assert len(fake_camera.requests_to("/ISAPI/Event/triggers/VMD-1", "PUT")) == 1


def test_trigger_cannot_point_at_an_empty_host_slot(fake_camera):
    with pytest.raises(errors.BadXmlContent):
        client_for(fake_camera).link_trigger("VMD")


def test_not_supported_trigger_is_a_403_not_supported_error():
    with FakeISAPICamera(not_supported=("regionEntrance",)) as cam:
        with pytest.raises(errors.NotSupported) as raised:
            client_for(cam).event_trigger("regionEntrance")
    assert raised.value.http_status == 403
    assert raised.value.sub_status == "notSupport"
    assert "regionEntrance-1" in str(raised.value)


def test_device_errors_become_exceptions_for_xml_and_json(fake_camera, settings):
    settings.ISAPI_BUSY_RETRIES = 0
    fake_camera.fail("/ISAPI/System/deviceInfo", "deviceBusy")
    fake_camera.fail("/ISAPI/Traffic", "deviceError")
    with client_for(fake_camera) as device:
        with pytest.raises(errors.DeviceBusy):
            device.device_info()
        with pytest.raises(errors.DeviceError) as raised:
            device.plate_entries()
        assert device.device_info().model  # one-off faults clear

    assert raised.value.error_code == 0x30000001
    assert raised.value.http_status == 500


def test_plate_lists_add_update_search_and_delete(fake_camera):
    with client_for(fake_camera) as device:
        device.save_plate_entries(
            [PlateEntry(f"ABC{n:04d}", ALLOW) for n in range(120)]
            + [PlateEntry("BAD1", BLOCK, "2026-01-01", "2026-12-31")]
        )
        entries = device.plate_entries()
        assert len(entries) == 121  # three pages
        bad = next(e for e in entries if e.plate == "BAD1")
        assert (bad.list_type, bad.valid_until) == (BLOCK, "2026-12-31")
        device.save_plate_entries([PlateEntry("BAD1", ALLOW, id=bad.id)])
        device.delete_plate_entries([e.id for e in entries if e.plate.startswith("ABC")])
        remaining = device.plate_entries()

    assert [(e.plate, e.list_type, e.id) for e in remaining] == [("BAD1", ALLOW, bad.id)]


def test_plate_users_round_trip(fake_camera):
    user = PlateUser(
        "ABC1234", "Ahmed Al-Sayed", "normal", "ABC1234", "2026-01-01T00:00:00", "2026-12-31T23:59:59"
    )
    with client_for(fake_camera) as device:
        device.save_plate_user(user)
        device.save_plate_user(PlateUser("XYZ5678", "Blocked", "blackList", "XYZ5678"))
        assert sorted(u.employee_no for u in device.plate_users()) == ["ABC1234", "XYZ5678"]
        assert next(u for u in device.plate_users() if u.employee_no == "ABC1234") == user
        device.delete_plate_users(["XYZ5678"])
        assert [u.employee_no for u in device.plate_users()] == ["ABC1234"]


def test_json_error_body_is_parsed(fake_camera):
    with pytest.raises(errors.BadXmlContent) as raised:
        client_for(fake_camera).save_plate_entries([PlateEntry("A" * 20, ALLOW)])
    assert raised.value.sub_status == "badParameters"
    assert raised.value.error_code == 0x60000004


def test_alarm_output_goes_high_then_low(fake_camera):
    with client_for(fake_camera) as device:
        device.set_alarm_output(True)
        device.set_alarm_output(False)
    assert fake_camera.alarm_log == [(1, "high"), (1, "low")]


def test_recordings_are_searched_in_pages_and_downloaded(fake_camera):
    start = datetime(2026, 2, 27, 14, 0, tzinfo=UTC)
    for n in range(45):
        fake_camera.add_recording(start + timedelta(minutes=5 * n), content=f"clip-{n}".encode())
    fake_camera.add_recording(start, channel=2)

    with client_for(fake_camera) as device:
        clips = device.search_recordings(start + timedelta(minutes=12), start + timedelta(hours=4))
        buffer = io.BytesIO()
        size = device.download_recording(clips[0], buffer)

    assert len(clips) == 43  # 14:10 .. 17:40 overlap the window; channel 2 is not searched
    assert clips[0].start == start + timedelta(minutes=10)
    assert buffer.getvalue() == b"clip-2" and size == 6


def test_unknown_resource_is_not_supported(fake_camera):
    with pytest.raises(errors.NotSupported):
        client_for(fake_camera).get_xml("/ISAPI/Thermal/channels/1")


def test_plain_http_errors_without_a_status_body_are_classified():
    from cameras.isapi.errors import error_class

    assert error_class(None, "", 404) is errors.NotSupported
    assert error_class(None, "", 403) is errors.InvalidOperation
    assert error_class(None, "", 500) is errors.DeviceError
    assert error_class(4, "notSupport", 403) is errors.NotSupported
    assert error_class(6, "", 400) is errors.BadXmlContent
