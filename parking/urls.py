from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import views

app_name = "parking"

router = SimpleRouter(trailing_slash=False)
router.register("occupancy/ledger", views.OccupancyLedgerViewSet, basename="ledger")
router.register("occupancy", views.OccupancyViewSet, basename="occupancy")
router.register("floors", views.FloorViewSet, basename="floor")
router.register("parking/events", views.VehicleEventViewSet, basename="vehicle-event")

urlpatterns = [
    # Before the router: "history" is not a zone.
    path("occupancy/history", views.OccupancyHistoryView.as_view(), name="occupancy-history"),
    *router.urls,
]
