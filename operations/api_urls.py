"""The probes under /api/v1/health."""

from django.urls import path

from .health import HealthView, LivenessView, ReadinessView

# No app_name: the route names stay global, as the metrics' view labels and clients know them.

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("health/live", LivenessView.as_view(), name="health-live"),
    path("health/ready", ReadinessView.as_view(), name="health-ready"),
]
