from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from cameras.models import Camera
from detectors.models import Detector

DETECTOR_IP = "10.20.0.5"
PASSWORD = "Detector-pass-2026"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def camera(db):
    return Camera.objects.create(
        code="CAM-01",
        name="Outdoor perimeter",
        ip_address="192.168.1.101",
        username="admin",
        password="Cam#pass 1/2",
        rtsp_port=554,
        rtsp_path="/Streaming/Channels/102",
        http_port=80,
        onvif_port=8000,
        latitude=Decimal("24.713600"),
        longitude=Decimal("46.675300"),
        storage_type="sd_card",
        police_station_id=3,
    )


@pytest.fixture
def other_camera(db):
    return Camera.objects.create(code="CAM-02", name="Covered parking", ip_address="192.168.1.102")


@pytest.fixture
def detector(db, camera):
    detector = Detector(name="Crime model 1", email="model1@system.local", allowed_ip=DETECTOR_IP)
    detector.set_password(PASSWORD)
    detector.save()
    detector.cameras.add(camera)
    return detector


@pytest.fixture
def client_from_ip():
    def make(ip: str = DETECTOR_IP) -> APIClient:
        return APIClient(REMOTE_ADDR=ip)

    return make


@pytest.fixture
def api(client_from_ip):
    return client_from_ip()


@pytest.fixture
def token(detector) -> str:
    return detector.issue_token()


@pytest.fixture
def authed(client_from_ip, token):
    client = client_from_ip()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client
