"""What a detector or edge sensor needs to run: models and sensor settings per camera."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cameras.models import Camera

from .models import AIModelConfig, SensorSetting

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cameras.models import Camera


def model_entry(model: AIModelConfig) -> dict:
    return {
        "id": model.pk,
        "name": model.name,
        "type": model.model_type,
        "version": model.version,
        "weights_path": model.weights_path,
        "parameters": model.parameters,
    }


def sensor_entry(setting: SensorSetting) -> dict:
    return {
        "id": setting.pk,
        "name": setting.name,
        "zone_id": setting.zone_id,
        "zone": setting.zone.code if setting.zone_id else None,
        "model_id": setting.model_id,
        "settings": setting.settings,
    }


def configuration_for(cameras: Iterable[Camera]) -> dict:
    """Enabled sensor settings of these cameras, and the enabled models they use."""
    settings = list(
        SensorSetting.objects.enabled()
        .for_cameras(cameras)
        .select_related("zone", "model")
        .order_by("camera_id", "name")
    )
    models = {s.model.pk: s.model for s in settings if s.model is not None and s.model.enabled}
    by_camera: dict[int, list[dict]] = {}
    for setting in settings:
        if setting.model_id and setting.model_id not in models:
            continue  # its model is disabled: the detector must not run it
        by_camera.setdefault(setting.camera_id, []).append(sensor_entry(setting))
    return {
        "models": [model_entry(m) for m in sorted(models.values(), key=lambda m: (m.name, m.version))],
        "cameras": [
            {
                "id": camera.pk,
                "code": camera.code,
                "name": camera.name,
                "sensors": by_camera.get(camera.pk, []),
            }
            for camera in cameras
        ],
    }


def active_cameras(ids: list[int] | None = None) -> QuerySet[Camera]:
    cameras = Camera.objects.active().order_by("pk")
    return cameras.filter(pk__in=ids) if ids is not None else cameras
