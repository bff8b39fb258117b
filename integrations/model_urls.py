"""Seed 003's model configuration, at /api/model/config beside the detector API."""
from django.urls import path

from .api.model_config import ModelConfigView

app_name = "model-config"

urlpatterns = [path("config", ModelConfigView.as_view(), name="model-config")]
