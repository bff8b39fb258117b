"""A detector service written like seed 003's ``CrimeDetectionService`` skeleton, run against a
live server: login, fetch and decrypt cameras, heartbeat, alert, crime, stop. The camera is the
fake ISAPI device on 127.0.0.1, so the evidence is really fetched; a webhook channel on
127.0.0.1 receives the fan-out of the crime alert."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.auth import get_user_model
from django.utils import timezone

from alerts.models import Alert, NotificationChannel
from damanat.testing import wait_until
from detectors.models import CrimeReport, Detector, DutyShift

PASSWORD = "E2e-detector-pass-1"


@dataclass
class Prediction:
    confidence: float
    crime_type: str = "theft"
    start_time: datetime | None = None
    end_time: datetime | None = None


class Config:
    def __init__(self, backend_url: str, encryption_key: str):
        self.BACKEND_URL = backend_url
        self.MODEL_EMAIL = "model1@system.local"
        self.MODEL_PASSWORD = PASSWORD
        self.ENCRYPTION_KEY = encryption_key
        self.HEARTBEAT_INTERVAL = 0.05


class CrimeDetectionService:
    """The seed's skeleton, minus OpenCV: the same calls, in the same shape."""

    def __init__(self, config: Config):
        self.config = config
        self.session = requests.Session()
        self.cameras = []
        self.running = True
        self.token = None
        self.heartbeats = 0

    def login(self):
        resp = self.session.post(
            f"{self.config.BACKEND_URL}/api/model/login",
            json={"email": self.config.MODEL_EMAIL, "password": self.config.MODEL_PASSWORD},
        )
        resp.raise_for_status()
        self.token = resp.json()["data"]["token"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def decrypt_camera_data(self, encrypted_payload: str) -> dict:
        payload = json.loads(base64.b64decode(encrypted_payload))
        iv = base64.b64decode(payload["iv"])
        value = base64.b64decode(payload["value"])
        key = base64.b64decode(self.config.ENCRYPTION_KEY.replace("base64:", ""))

        cipher = Cipher(algorithms.AES(key), modes.CBC(iv), backend=default_backend())
        decryptor = cipher.decryptor()
        decrypted_padded = decryptor.update(value) + decryptor.finalize()

        unpadder = sym_padding.PKCS7(128).unpadder()
        decrypted = unpadder.update(decrypted_padded) + unpadder.finalize()
        return json.loads(decrypted)

    def fetch_cameras(self):
        resp = self.session.get(f"{self.config.BACKEND_URL}/api/model/cameras")
        raw_cameras = resp.json()["data"]

        self.cameras = []
        for cam in raw_cameras:
            decrypted = self.decrypt_camera_data(cam["encrypted_data"])
            cam_data = {**cam, **decrypted}
            del cam_data["encrypted_data"]
            self.cameras.append(cam_data)

    def send_alert(self, camera, prediction):
        return self.session.post(
            f"{self.config.BACKEND_URL}/api/model/alert",
            json={
                "camera_id": camera["id"],
                "confidence_score": prediction.confidence,
                "alert_type": "suspicious",
            },
        )

    def report_crime(self, camera, prediction):
        return self.session.post(
            f"{self.config.BACKEND_URL}/api/model/crime",
            json={
                "camera_id": camera["id"],
                "crime_type": prediction.crime_type,
                "confidence_score": prediction.confidence,
                "start_time": prediction.start_time.isoformat(),
                "end_time": prediction.end_time.isoformat(),
            },
        )

    def stop_alert(self, camera):
        return self.session.post(
            f"{self.config.BACKEND_URL}/api/model/alert/stop", json={"camera_id": camera["id"]}
        )

    def start_heartbeat(self):
        def heartbeat_loop():
            while self.running:
                try:
                    ids = [c["id"] for c in self.cameras]
                    resp = self.session.post(
                        f"{self.config.BACKEND_URL}/api/model/heartbeat", json={"camera_ids": ids}
                    )
                    if resp.ok:
                        self.heartbeats += 1
                except Exception:  # noqa: BLE001 — the seed skeleton swallows heartbeat errors
                    pass
                time.sleep(self.config.HEARTBEAT_INTERVAL)

        t = threading.Thread(target=heartbeat_loop, daemon=True)
        t.start()
        return t

    def shutdown(self):
        self.running = False


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        Receiver.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_receiver():
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", Receiver.received
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_seed_skeleton_client_end_to_end(live_server, fake_camera, webhook_receiver, eager_celery, settings):
    url, received = webhook_receiver
    camera = fake_camera.create_camera(
        code="CAM-E2E", name="Main entrance", rtsp_path="/Streaming/Channels/102"
    )
    unassigned = fake_camera.create_camera(code="CAM-OTHER", ip_address="127.0.0.2")
    detector = Detector(name="Crime model 1", email="model1@system.local", allowed_ip="127.0.0.1")
    detector.set_password(PASSWORD)
    detector.save()
    detector.cameras.add(camera)
    guard = get_user_model().objects.create(username="guard", first_name="Sami", is_staff=True)
    DutyShift.objects.create(
        user=guard, starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=7)
    )
    NotificationChannel.objects.create(name="control room", kind="webhook", url=url, alert_kinds=["crime"])
    crime_start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=4)
    fake_camera.add_recording(
        crime_start - timedelta(minutes=1),
        timedelta(minutes=10),
        content=b"\x00\x00\x00\x18ftypmp42-e2e-clip",
    )

    service = CrimeDetectionService(
        Config(live_server.url.replace("localhost", "127.0.0.1"), settings.MODEL_ENCRYPTION_KEY)
    )
    service.login()
    service.fetch_cameras()
    service.start_heartbeat()

    assert [c["id"] for c in service.cameras] == [camera.pk]
    cam = service.cameras[0]
    assert cam["ip_address"] == "127.0.0.1" and cam["password"] == "Hik-Pass-123"
    assert cam["rtsp_url"] == "rtsp://admin:Hik-Pass-123@127.0.0.1:554/Streaming/Channels/102"
    assert wait_until(lambda: service.heartbeats >= 2)
    detector.refresh_from_db()
    assert detector.is_active and detector.reported_camera_ids == [camera.pk]

    assert service.send_alert(cam, Prediction(confidence=55)).status_code == 200
    assert service.send_alert(cam, Prediction(confidence=72)).status_code == 200
    suspicious = Alert.objects.get(kind=Alert.Kind.SUSPICIOUS_ACTIVITY)
    assert suspicious.occurrences == 2 and suspicious.severity == "high"

    crime = service.report_crime(
        cam, Prediction(confidence=92.5, start_time=crime_start, end_time=crime_start + timedelta(minutes=4))
    )
    assert crime.status_code == 201
    assert crime.json()["data"]["status"] == "pending" and crime.json()["data"]["severity"] == "critical"

    assert service.stop_alert(cam).json()["message"] == "Alert stopped"
    assert service.send_alert({"id": unassigned.pk}, Prediction(confidence=99)).status_code == 422
    service.shutdown()

    report = CrimeReport.objects.get(pk=crime.json()["data"]["crime_id"])
    assert report.evidence_status == "stored"
    clip = report.evidence.get()
    assert clip.size == len(b"\x00\x00\x00\x18ftypmp42-e2e-clip")
    crime_alert = Alert.objects.get(kind=Alert.Kind.CRIME)
    assert crime_alert.assigned_to == guard and crime_alert.severity == "critical"
    assert Alert.objects.get(pk=suspicious.pk).status == Alert.Status.RESOLVED
    assert not Alert.objects.filter(camera=unassigned).exists()
    assert wait_until(lambda: len(received) == 1)
    assert received[0]["alert"]["kind"] == "crime"
    assert "Assigned to Sami" in received[0]["alert"]["description"]
