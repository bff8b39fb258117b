from __future__ import annotations

import pytest

from cameras.models import Camera
from integrations.models import AIModelConfig, SensorSetting
from parking.models import Zone

SQUARE = {"type": "Polygon", "coordinates": [[[100, 100], [400, 100], [400, 300], [100, 300], [100, 100]]]}
LONLAT = {
    "type": "MultiPolygon",
    "coordinates": [[[[46.6753, 24.7136], [46.6760, 24.7136], [46.6760, 24.7142], [46.6753, 24.7136]]]],
}


# --- cameras ---------------------------------------------------------------


def test_camera_created_from_rtsp_url_keeps_password_write_only(api):
    response = api.post(
        "/api/v1/config/cameras",
        {
            "code": "CAM-10",
            "name": "Roof",
            "rtsp_url": "rtsp://viewer:s3cret@192.168.1.110:8554/live/main",
            "fps": 25,
            "resolution": "1920x1080",
            "location": "Roof, north ramp",
            "latitude": "24.713600",
            "longitude": "46.675300",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    camera = Camera.objects.get(code="CAM-10")
    assert (camera.ip_address, camera.rtsp_port, camera.rtsp_path) == ("192.168.1.110", 8554, "/live/main")
    assert (camera.username, camera.password) == ("viewer", "s3cret")
    body = response.json()
    assert "password" not in body and "s3cret" not in response.content.decode()
    assert body["has_password"] is True
    assert body["rtsp_url"] == "rtsp://192.168.1.110:8554/live/main"


def test_camera_update_without_password_keeps_it(api):
    camera = Camera.objects.create(code="CAM-11", ip_address="192.168.1.111", password="keep-me")

    response = api.patch(f"/api/v1/config/cameras/{camera.pk}", {"fps": 15}, format="json")

    assert response.status_code == 200
    camera.refresh_from_db()
    assert (camera.fps, camera.password) == (15, "keep-me")


def test_camera_list_filters_by_role_and_shows_zones(api, entry_camera, zone):
    response = api.get("/api/v1/config/cameras", {"role": "indoor"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["code"] for row in rows] == ["CAM-02"]
    assert rows[0]["zones"] == [{"id": zone.pk, "code": "1", "name": "Covered A", "kind": "parking"}]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"code": "X", "rtsp_url": "http://192.168.1.9/stream"}, "rtsp_url"),
        ({"code": "X", "rtsp_url": "rtsp://camera.local/stream"}, "rtsp_url"),
        ({"code": "X", "ip_address": "192.168.1.9", "resolution": "big"}, "resolution"),
        ({"code": "X", "ip_address": "192.168.1.9", "fps": 500}, "fps"),
        ({"code": "X"}, "ip_address"),
        ({"code": "X", "rtsp_url": "rtsp://192.168.1.104/stream"}, "rtsp_url"),
    ],
)
def test_camera_validation_errors(api, entry_camera, payload, field):
    response = api.post("/api/v1/config/cameras", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_camera_delete_and_permissions(api, outsider_api, entry_camera):
    assert outsider_api.get("/api/v1/config/cameras").status_code == 403
    assert api.delete(f"/api/v1/config/cameras/{entry_camera.pk}").status_code == 204
    assert not Camera.objects.filter(pk=entry_camera.pk).exists()


# --- zones -----------------------------------------------------------------


@pytest.mark.parametrize("geometry", [SQUARE, LONLAT])
def test_zone_created_with_geometry(api, indoor_camera, geometry):
    response = api.post(
        "/api/v1/config/zones",
        {
            "code": "7",
            "name": "Detection strip",
            "camera": "CAM-02",
            "kind": "detection",
            "geometry": geometry,
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    zone = Zone.objects.get(camera=indoor_camera, code="7")
    assert zone.geometry == geometry and zone.kind == Zone.Kind.DETECTION
    assert response.json()["camera_code"] == "CAM-02"


@pytest.mark.parametrize(
    "geometry, message",
    [
        ({"type": "Point", "coordinates": [1, 2]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10]]]}, "not closed"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [0, 0]]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [20, 0], [0, 0]]]}, "no area"),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [10, 10], [0, 0]]]}, "numbers"),
        ({"type": "Polygon", "coordinates": [[[-5, 0], [10, 0], [10, 10], [-5, 0]]]}, "negative"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [99999, 0], [10, 10], [0, 0]]]}, "at most"),
        ({"type": "MultiPolygon", "coordinates": []}, "1 to"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", "GeoJSON object"),
    ],
)
def test_zone_rejects_bad_geojson(api, indoor_camera, geometry, message):
    response = api.post(
        "/api/v1/config/zones", {"code": "8", "camera": indoor_camera.pk, "geometry": geometry}, format="json"
    )

    assert response.status_code == 400
    assert message in response.json()["geometry"][0]
    assert not Zone.objects.filter(code="8").exists()


@pytest.mark.parametrize("camera", [9999, "CAM-NOPE"])
def test_zone_needs_an_existing_camera(api, camera):
    response = api.post("/api/v1/config/zones", {"code": "9", "camera": camera}, format="json")

    assert response.status_code == 400
    assert "camera" in response.json()


def test_zone_update_filter_and_delete(api, zone, entry_camera):
    Zone.objects.create(camera=entry_camera, code="gate", kind=Zone.Kind.EXCLUSION)

    updated = api.put(
        f"/api/v1/config/zones/{zone.pk}",
        {"code": "1", "camera": zone.camera_id, "kind": "exclusion", "geometry": SQUARE},
        format="json",
    )
    listed = api.get("/api/v1/config/zones", {"camera": "CAM-02", "kind": "exclusion"})
    deleted = api.delete(f"/api/v1/config/zones/{zone.pk}")

    assert updated.status_code == 200 and updated.json()["geometry"] == SQUARE
    assert [row["id"] for row in listed.json()["results"]] == [zone.pk]
    assert deleted.status_code == 204


def test_zone_duplicate_code_on_camera(api, zone):
    response = api.post("/api/v1/config/zones", {"code": "1", "camera": zone.camera_id}, format="json")

    assert response.status_code == 400


# --- models and sensors ----------------------------------------------------


def test_model_config_crud(api):
    created = api.post(
        "/api/v1/config/models",
        {
            "name": "plate-ocr",
            "model_type": "plate_recognition",
            "version": "2.1",
            "weights_path": "/opt/models/ocr-2.1.onnx",
            "parameters": {"threshold": 0.6},
        },
        format="json",
    )
    model_id = created.json()["id"]
    bad = api.post("/api/v1/config/models", {"name": "x", "parameters": [1, 2]}, format="json")
    duplicate = api.post("/api/v1/config/models", {"name": "plate-ocr", "version": "2.1"}, format="json")
    updated = api.patch(f"/api/v1/config/models/{model_id}", {"enabled": False}, format="json")
    filtered = api.get("/api/v1/config/models", {"model_type": "plate_recognition", "enabled": "false"})

    assert created.status_code == 201
    assert bad.status_code == 400 and "parameters" in bad.json()
    assert duplicate.status_code == 400
    assert updated.status_code == 200 and AIModelConfig.objects.get(pk=model_id).enabled is False
    assert [row["id"] for row in filtered.json()["results"]] == [model_id]
    assert api.delete(f"/api/v1/config/models/{model_id}").status_code == 204


def test_sensor_setting_crud(api, zone):
    model = AIModelConfig.objects.create(name="vehicle-detector", version="1")

    created = api.post(
        "/api/v1/config/sensors",
        {
            "name": "occupancy",
            "camera": "CAM-02",
            "zone": zone.pk,
            "model": model.pk,
            "settings": {"min_box": 40, "tpms": False},
        },
        format="json",
    )
    sensor_id = created.json()["id"]
    listed = api.get("/api/v1/config/sensors", {"zone_id": zone.pk})
    updated = api.put(
        f"/api/v1/config/sensors/{sensor_id}",
        {"name": "occupancy", "camera": zone.camera_id, "settings": {"min_box": 60}},
        format="json",
    )

    assert created.status_code == 201, created.data
    assert [row["id"] for row in listed.json()["results"]] == [sensor_id]
    assert updated.status_code == 200
    assert SensorSetting.objects.get(pk=sensor_id).settings == {"min_box": 60}
    assert api.delete(f"/api/v1/config/sensors/{sensor_id}").status_code == 204


def test_sensor_zone_must_belong_to_its_camera(api, zone, entry_camera):
    response = api.post(
        "/api/v1/config/sensors", {"name": "s", "camera": entry_camera.pk, "zone": zone.pk}, format="json"
    )
    unknown = api.post("/api/v1/config/sensors", {"name": "s", "camera": 4242}, format="json")
    bad_settings = api.post(
        "/api/v1/config/sensors", {"name": "s", "camera": entry_camera.pk, "settings": "fast"}, format="json"
    )

    assert response.status_code == 400 and "zone" in response.json()
    assert unknown.status_code == 400 and "camera" in unknown.json()
    assert bad_settings.status_code == 400 and "settings" in bad_settings.json()


def test_model_config_for_a_detector(api, zone, entry_camera):
    ocr = AIModelConfig.objects.create(name="plate-ocr", version="2", parameters={"t": 0.5})
    retired = AIModelConfig.objects.create(name="old", version="1", enabled=False)
    SensorSetting.objects.create(name="gate-ocr", camera=entry_camera, model=ocr, settings={"roi": 1})
    SensorSetting.objects.create(name="legacy", camera=entry_camera, model=retired)
    SensorSetting.objects.create(name="off", camera=zone.camera, enabled=False)

    response = api.get("/api/model/config", {"camera": "CAM-ENTRY"})

    assert response.status_code == 200
    body = response.json()
    assert [m["name"] for m in body["models"]] == ["plate-ocr"]
    assert body["cameras"] == [
        {
            "id": entry_camera.pk,
            "code": "CAM-ENTRY",
            "name": "Entry gate",
            "sensors": [
                {
                    "id": body["cameras"][0]["sensors"][0]["id"],
                    "name": "gate-ocr",
                    "zone_id": None,
                    "zone": None,
                    "model_id": ocr.pk,
                    "settings": {"roi": 1},
                }
            ],
        }
    ]


def test_openapi_documents_the_config_api(api, integrator):
    integrator.is_staff = True
    integrator.save()

    response = api.get("/api/schema", {"format": "json"})

    paths = response.json()["paths"]
    for path in (
        "/api/v1/config/cameras",
        "/api/v1/config/zones/{id}",
        "/api/v1/config/models",
        "/api/v1/config/sensors",
        "/api/v1/events/ingest",
        "/api/v1/events/stats",
    ):
        assert path in paths


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"push_username": "u" * 33}, "push_username"),
        ({"push_username": "camera", "push_password": "p" * 17}, "push_password"),
    ],
)
def test_camera_push_credentials_over_the_device_limits_are_refused(api, payload, field):
    response = api.post(
        "/api/v1/config/cameras", {"code": "X", "ip_address": "192.168.1.9", **payload}, format="json"
    )

    assert response.status_code == 400
    assert "Devices refuse a push" in response.json()[field][0]
    assert not Camera.objects.filter(code="X").exists()
