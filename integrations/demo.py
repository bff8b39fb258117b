"""Demo integrations: AI models, sensor settings, zone outlines, an edge-sensor login, an example exporter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token

from cameras.models import Camera
from parking.models import Zone

from .models import AIModelConfig, Exporter, SensorSetting

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

MODELS = [
    (
        "plate-ocr",
        AIModelConfig.ModelType.PLATE_RECOGNITION,
        "2.3",
        "/opt/damanat/models/plate-ocr-2.3.onnx",
        {"min_confidence": 0.6, "scripts": ["latin", "arabic"]},
    ),
    (
        "vehicle-detector",
        AIModelConfig.ModelType.DETECTION,
        "5.1",
        "/opt/damanat/models/vehicles-5.1.onnx",
        {"classes": ["car", "truck", "motorcycle"], "threshold": 0.5},
    ),
    (
        "crime-detector",
        AIModelConfig.ModelType.CRIME_DETECTION,
        "1.0",
        "/opt/damanat/models/crime-1.0.onnx",
        {"window_seconds": 8},
    ),
]
SENSORS = [  # camera, name, zone, model, settings
    ("CAM-ENTRY", "gate-ocr", None, "plate-ocr", {"roi": [[0.2, 0.4], [0.8, 0.95]], "tpms": True}),
    ("CAM-EXIT", "gate-ocr", None, "plate-ocr", {"roi": [[0.2, 0.4], [0.8, 0.95]], "tpms": True}),
    ("CAM-03", "row-occupancy", "zone-A", "vehicle-detector", {"min_box_px": 40}),
    ("CAM-01", "perimeter-watch", None, "crime-detector", {"night_only": False}),
]
OUTLINES = {
    ("CAM-03", "zone-A"): [[120, 340], [880, 340], [960, 700], [60, 700], [120, 340]],
    ("CAM-02", "emergency-exit"): [[600, 80], [780, 80], [780, 400], [600, 400], [600, 80]],
}
EDGE_PERMISSIONS = ["add_cameraevent", "view_cameraevent", "view_sensorsetting", "view_aimodelconfig"]


def load(out: OutputWrapper) -> None:
    models = {
        name: AIModelConfig.objects.update_or_create(
            name=name,
            version=version,
            defaults={"model_type": kind, "weights_path": path, "parameters": params},
        )[0]
        for name, kind, version, path, params in MODELS
    }
    cameras = {c.code: c for c in Camera.objects.filter(code__in={s[0] for s in SENSORS})}
    for code, name, zone_code, model, settings in SENSORS:
        if code in cameras:
            zone = Zone.objects.filter(camera=cameras[code], code=zone_code).first() if zone_code else None
            SensorSetting.objects.update_or_create(
                camera=cameras[code],
                name=name,
                defaults={"zone": zone, "model": models[model], "settings": settings},
            )
    for (camera, code), ring in OUTLINES.items():
        Zone.objects.filter(camera__code=camera, code=code).update(
            geometry={"type": "Polygon", "coordinates": [ring]}
        )
    Exporter.objects.get_or_create(
        name="Parking payment system (example)",
        defaults={
            "url": "http://127.0.0.1:9000/damanat/events",
            "auth": Exporter.Auth.HMAC,
            "secret": "change-me",
            "event_kinds": ["plate_read", "passage", "visit_closed"],
            "enabled": False,
        },
    )
    out.write(
        f"integrations: {len(MODELS)} AI models, {len(SENSORS)} sensor settings, "
        f"edge sensor token {edge_sensor_token()}"
    )


def edge_sensor_token() -> str:
    user, _ = get_user_model().objects.get_or_create(username="edge-sensor")
    user.user_permissions.add(*Permission.objects.filter(codename__in=EDGE_PERMISSIONS))
    return Token.objects.get_or_create(user=user)[0].key
