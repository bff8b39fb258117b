"""The probes under /api/v1/health."""
from django.urls import path

from .health import HealthView, LivenessView, ReadinessView

app_name = "health"

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("health/live", LivenessView.as_view(), name="health-live"),
    path("health/ready", ReadinessView.as_view(), name="health-ready"),
]
