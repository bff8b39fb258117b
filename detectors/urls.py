from django.urls import path

from .api import views

app_name = "detectors"

urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("cameras", views.CamerasView.as_view(), name="cameras"),
    path("heartbeat", views.HeartbeatView.as_view(), name="heartbeat"),
    path("alert", views.AlertView.as_view(), name="alert"),
    path("alert/stop", views.AlertStopView.as_view(), name="alert-stop"),
    path("crime", views.CrimeView.as_view(), name="crime"),
]
