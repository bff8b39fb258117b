from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.views import CameraEventViewSet
from .api.webhook import CameraWebhookView

app_name = "cameras"

router = SimpleRouter(trailing_slash=False)
router.register("events", CameraEventViewSet, basename="event")

urlpatterns = [
    path("events/camera", CameraWebhookView.as_view(), name="webhook"),
    *router.urls,
]
