from __future__ import annotations

from detectors.crypto import decrypt_string

from .test_encryption import decrypt_camera_data, key_text, laravel_mac_ok


def test_lists_assigned_cameras_with_the_seed_fields(authed, camera, other_camera):
    response = authed.get("/api/model/cameras")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] is True
    assert [c["id"] for c in body["data"]] == [camera.pk]
    listed = body["data"][0]
    assert set(listed) == {"id", "name", "encrypted_data", "lat", "lang", "storage_type", "police_station_id"}
    assert listed["name"] == "Outdoor perimeter"
    assert listed["lat"] == 24.7136 and listed["lang"] == 46.6753
    assert listed["storage_type"] == "sd_card" and listed["police_station_id"] == 3


def test_encrypted_data_decrypts_with_the_seed_code_to_the_connection_data(authed, camera, settings):
    listed = authed.get("/api/model/cameras").json()["data"][0]

    decrypted = decrypt_camera_data(listed["encrypted_data"], key_text(settings))

    assert decrypted == {
        "ip_address": "192.168.1.101",
        "connection_ip": None,
        "connection_port": 554,
        "rtsp_url": "rtsp://admin:Cam%23pass%201%2F2@192.168.1.101:554/Streaming/Channels/102",
        "user_name": "admin",
        "password": "Cam#pass 1/2",
        "api_port": 80,
        "onvif_port": 8000,
    }
    from detectors.crypto import parse_key

    assert laravel_mac_ok(listed["encrypted_data"], parse_key(settings.MODEL_ENCRYPTION_KEY))
    assert decrypt_string(listed["encrypted_data"])  # our own verifying decrypter agrees


def test_password_never_appears_in_clear(authed, camera):
    assert "Cam#pass" not in authed.get("/api/model/cameras").content.decode()


def test_disabled_and_unapproved_cameras_are_not_listed(authed, detector, camera, other_camera):
    detector.cameras.add(other_camera)
    camera.enabled = False
    camera.save()

    listed = authed.get("/api/model/cameras").json()["data"]

    assert [c["id"] for c in listed] == [other_camera.pk]


def test_assignment_changes_show_on_the_next_fetch(authed, detector, camera, other_camera):
    detector.cameras.set([other_camera])

    listed = authed.get("/api/model/cameras").json()["data"]

    assert [c["id"] for c in listed] == [other_camera.pk]


def test_a_detector_with_no_cameras_gets_an_empty_list(authed, detector):
    detector.cameras.clear()

    assert authed.get("/api/model/cameras").json()["data"] == []


def test_missing_location_is_null(authed, camera):
    camera.latitude = camera.longitude = camera.police_station_id = None
    camera.save()

    listed = authed.get("/api/model/cameras").json()["data"][0]

    assert listed["lat"] is None and listed["lang"] is None and listed["police_station_id"] is None
