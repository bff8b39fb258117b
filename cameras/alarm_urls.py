"""Seed 003's camera alarm, at /api/camera/alarm beside the detector API."""
from django.urls import path

from .api.alarm import CameraAlarmView

app_name = "camera-alarm"

urlpatterns = [path("alarm", CameraAlarmView.as_view(), name="camera-alarm")]
