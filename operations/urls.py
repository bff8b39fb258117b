"""Seed 001's probes at the top of the site (/health, /ready, /liveness) and /metrics."""

from django.urls import path

from .health import HealthView, LivenessView, ReadinessView
from .metrics import metrics_view

# No app_name: the route names stay global, as the metrics' view labels and clients know them.

urlpatterns = [
    path("health", HealthView.as_view()),
    path("ready", ReadinessView.as_view()),
    path("liveness", LivenessView.as_view()),
    path("metrics", metrics_view, name="metrics"),
]
