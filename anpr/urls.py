from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import misreads, views

app_name = "anpr"

router = SimpleRouter(trailing_slash=False)
router.register("vehicles", views.VehicleViewSet, basename="vehicle")
router.register("entry-exit", views.GatePassageViewSet, basename="entry-exit")
router.register("visits", views.VisitViewSet, basename="visit")

# With or without the trailing slash: /anpr/misreads/ and /anpr/misreads/1/resolve.
inbox = SimpleRouter()
inbox.trailing_slash = "/?"
inbox.register("anpr/misreads", misreads.MisreadReviewViewSet, basename="misread")

urlpatterns = [
    path("vehicles/lookup/<str:plate>", views.VehicleLookupView.as_view(), name="vehicle-lookup"),
    path("entry-exit/count/today", views.TodayCountView.as_view(), name="count-today"),
    path("stats/parking-time", views.ParkingTimeView.as_view(), name="parking-time"),
    path("stats/daily", views.DailyStatsView.as_view(), name="daily"),
    path("stats/range", views.RangeStatsView.as_view(), name="range"),
    *router.urls,
    *inbox.urls,
]
