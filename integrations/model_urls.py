"""Seed 003's model configuration, at /api/model/config beside the detector API."""

from django.urls import path

from .api.model_config import ModelConfigView

# No app_name: the route names stay global, as the metrics' view labels and clients know them.

urlpatterns = [path("config", ModelConfigView.as_view(), name="model-config")]
