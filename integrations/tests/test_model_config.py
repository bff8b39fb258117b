"""GET /api/model/config for detector services (seed 003 tokens) and staff."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from detectors.models import Detector
from integrations.models import AIModelConfig, SensorSetting

DETECTOR_IP = "10.20.0.5"


@pytest.fixture
def crime_model(db) -> AIModelConfig:
    return AIModelConfig.objects.create(
        name="crime-detector",
        model_type="crime_detection",
        version="1.0",
        weights_path="/opt/models/crime.onnx",
        parameters={"window": 8},
    )


@pytest.fixture
def detector_client(entry_camera, exit_camera, crime_model, settings) -> APIClient:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    detector = Detector(name="Crime model", email="crime@system.local", allowed_ip=DETECTOR_IP)
    detector.set_password("unused")
    detector.save()
    detector.cameras.add(entry_camera)
    SensorSetting.objects.create(name="crime-watch", camera=entry_camera, model=crime_model)
    SensorSetting.objects.create(name="crime-watch", camera=exit_camera, model=crime_model)
    client = APIClient(REMOTE_ADDR=DETECTOR_IP)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {detector.issue_token()}")
    return client


def test_detector_gets_only_its_assigned_cameras(detector_client, entry_camera, crime_model):
    response = detector_client.get("/api/model/config")

    body = response.json()
    assert response.status_code == 200 and body["status"] is True
    assert [camera["code"] for camera in body["data"]["cameras"]] == ["CAM-ENTRY"]
    assert body["data"]["cameras"][0]["sensors"][0]["model_id"] == crime_model.pk
    assert body["data"]["models"] == [
        {
            "id": crime_model.pk,
            "name": "crime-detector",
            "type": "crime_detection",
            "version": "1.0",
            "weights_path": "/opt/models/crime.onnx",
            "parameters": {"window": 8},
        }
    ]


def test_detector_cannot_widen_its_cameras(detector_client, exit_camera):
    response = detector_client.get("/api/model/config", {"camera": "CAM-EXIT"})

    assert response.json()["data"]["cameras"] == []


def test_detector_errors_use_the_seed_envelope(db):
    client = APIClient(REMOTE_ADDR=DETECTOR_IP)
    client.credentials(HTTP_AUTHORIZATION="Bearer 1|forged")

    response = client.get("/api/model/config")

    assert response.status_code == 401
    assert response.json() == {"status": False, "message": "Unauthenticated.", "data": None}


def test_staff_without_permission_and_anonymous_are_refused(outsider_api, client, db):
    assert outsider_api.get("/api/model/config").status_code == 403
    assert client.get("/api/model/config").status_code in (401, 403)
