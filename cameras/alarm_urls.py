"""Seed 003's camera alarm, at /api/camera/alarm beside the detector API."""

from django.urls import path

from .api.alarm import CameraAlarmView

# No app_name: the route names stay global, as the metrics' view labels and clients know them.

urlpatterns = [path("alarm", CameraAlarmView.as_view(), name="camera-alarm")]
