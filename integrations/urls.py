from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.config import AIModelConfigViewSet, CameraConfigViewSet, SensorSettingViewSet, ZoneConfigViewSet
from .api.exporters import ExporterViewSet
from .api.ingest import EventIngestView
from .api.stats import EventStatsView

app_name = "integrations"

router = SimpleRouter(trailing_slash=False)
router.register("config/cameras", CameraConfigViewSet, basename="config-camera")
router.register("config/zones", ZoneConfigViewSet, basename="config-zone")
router.register("config/models", AIModelConfigViewSet, basename="config-model")
router.register("config/sensors", SensorSettingViewSet, basename="config-sensor")
router.register("exporters", ExporterViewSet, basename="exporter")

urlpatterns = [
    path("events/ingest", EventIngestView.as_view(), name="events-ingest"),
    path("events/stats", EventStatsView.as_view(), name="events-stats"),
    *router.urls,
]
