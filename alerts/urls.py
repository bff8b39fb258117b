from django.urls import path
from rest_framework.routers import SimpleRouter

from . import live
from .api.backtests import BacktestViewSet
from .api.views import AlertViewSet, ChannelViewSet, DeliveryViewSet, IntrusionViewSet, ViolationViewSet

app_name = "alerts"

router = SimpleRouter(trailing_slash=False)
router.register("alerts", AlertViewSet, basename="alert")
router.register("violations", ViolationViewSet, basename="violation")
router.register("intrusions", IntrusionViewSet, basename="intrusion")
router.register("notification-channels", ChannelViewSet, basename="channel")
router.register("alert-deliveries", DeliveryViewSet, basename="delivery")

# The backtests answer with or without the trailing slash.
backtests = SimpleRouter()
backtests.trailing_slash = "/?"
backtests.register("alerts/backtests", BacktestViewSet, basename="backtest")

urlpatterns = [
    path("alerts/live", live.live, name="live"),
    *router.urls,
    *backtests.urls,
]
