"""A realistic case, made the way production makes it: camera pushes through the webhook.

Three intrusion pushes into a restricted zone within the cooldown, each a multipart body
with a ~300 KB JPEG, become one alert with three events and three pictures.
"""

from __future__ import annotations

import hashlib
import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from alerts.models import Alert
from anpr.models import Visit
from cameras.models import Camera
from cameras.simulator import TINY_JPEG, anpr_xml, multipart, region_event_xml
from detectors.models import CrimeReport, Detector, Evidence
from detectors.services import report_crime
from parking.models import Zone

WEBHOOK = "/api/v1/events/camera"


def noisy_jpeg(seed: int, side: int = 700) -> bytes:
    """A JPEG of about 300 KB (700 px square at quality 75): noise compresses like a busy scene."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue()


def restricted_camera() -> tuple[Camera, Zone]:
    camera = Camera.objects.create(
        code="CAM-02",
        name="VIP gate",
        name_ar="بوابة كبار الزوار",
        ip_address="192.168.1.101",
        role=Camera.Role.PERIMETER,
    )
    zone = Zone.objects.create(
        camera=camera,
        code="restricted-vip",
        name="VIP restricted",
        name_ar="منطقة كبار الزوار",
        kind=Zone.Kind.RESTRICTED,
        counted_targets=["vehicle"],
    )
    return camera, zone


def intrusion_push(picture: bytes, moment) -> tuple[bytes, bytes, str]:
    """(the XML document, the multipart body carrying it and the picture, its content type)."""
    document = region_event_xml("fielddetection", "restricted-vip", moment=moment)
    body, content_type = multipart(document, "fielddetection.xml", pictures=1)
    # The simulator's tiny picture replaced by a full-size one, as a real camera sends.
    return document, body.replace(TINY_JPEG, picture), content_type


def push(client, body: bytes, content_type: str):
    return client.post(WEBHOOK, data=body, content_type=content_type, HTTP_X_FORWARDED_FOR="192.168.1.101")


def alert_with_three_events(client) -> tuple[Alert, list[bytes]]:
    """One alert grouping three pushes; returns it and the XML documents the camera sent."""
    restricted_camera()
    start = timezone.now() - timedelta(seconds=20)
    documents = []
    for n in range(3):
        document, body, content_type = intrusion_push(noisy_jpeg(n), start + timedelta(seconds=5 * n))
        response = push(client, body, content_type)
        assert response.status_code == 200, response.content
        documents.append(document)
    return Alert.objects.get(), documents


def visit_through_gates(client, plate: str = "ABJ1234") -> Visit:
    """A car read at the entry gate and, an hour later, at the exit gate, a picture each time."""
    Camera.objects.create(code="CAM-ENTRY", ip_address="192.168.1.104", role=Camera.Role.ENTRY_GATE)
    Camera.objects.create(code="CAM-EXIT", ip_address="192.168.1.105", role=Camera.Role.EXIT_GATE)
    entered = timezone.now() - timedelta(hours=1)
    for ip, moment, seed in (("192.168.1.104", entered, 10), ("192.168.1.105", timezone.now(), 11)):
        body, content_type = multipart(anpr_xml(plate, moment), "anpr.xml", pictures=1)
        response = client.post(
            WEBHOOK,
            data=body.replace(TINY_JPEG, noisy_jpeg(seed, side=200)),
            content_type=content_type,
            HTTP_X_FORWARDED_FOR=ip,
        )
        assert response.status_code == 200, response.content
    return Visit.objects.get()


def crime_report_with_clip() -> CrimeReport:
    """A detector's theft report on CAM-02 with the recording the camera gave for it."""
    camera, _zone = restricted_camera()
    detector = Detector.objects.create(name="Crime model", email="model@example.test", allowed_ip="127.0.0.1")
    end = timezone.now()
    report = report_crime(
        detector,
        camera,
        crime_type="theft",
        confidence_score=87,
        start_time=end - timedelta(minutes=2),
        end_time=end,
    )
    clip = b"\x00\x00\x00\x18ftypmp42" + random.Random(7).randbytes(50_000)
    Evidence.objects.create(
        report=report,
        file=ContentFile(clip, name="clip.mp4"),
        sha256=hashlib.sha256(clip).hexdigest(),
        size=len(clip),
        content_type="video/mp4",
        clip_start=report.start_time,
        clip_end=end,
    )
    return report
