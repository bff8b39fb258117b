from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from cameras.api.alarm import CameraAlarmView
from integrations.api.model_config import ModelConfigView
from operations.metrics import metrics_view

from . import api_docs_view, health, language
from .media import serve_media
from .pages.urls import auth_urlpatterns
from .token_login import TokenLoginView

api_v1 = [
    path("health", health.HealthView.as_view(), name="health"),
    path("health/live", health.LivenessView.as_view(), name="health-live"),
    path("health/ready", health.ReadinessView.as_view(), name="health-ready"),
    path("auth/token", TokenLoginView.as_view(), name="token-login"),
    # Before cameras.urls: events/ingest and events/stats sit next to its events/<id>.
    path("", include("integrations.urls")),
    path("", include("cameras.urls")),
    path("", include("parking.urls")),
    path("", include("alerts.urls")),
    path("", include("anpr.urls")),
    path("", include("evidence.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch also saves the signed-in user's choice (damanat.language).
    path("i18n/setlang/", language.switch_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/model/config", ModelConfigView.as_view(), name="model-config"),
    path("api/model/", include("detectors.urls")),
    path("api/camera/alarm", CameraAlarmView.as_view(), name="camera-alarm"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", api_docs_view.DocsInReadersLanguage.as_view(url_name="schema"), name="api-docs"),
    path("health", health.HealthView.as_view()),
    path("ready", health.ReadinessView.as_view()),
    path("liveness", health.LivenessView.as_view()),
    path("metrics", metrics_view, name="metrics"),
    # Staff only, whatever DEBUG says; nginx sends the file (X-Accel-Redirect).
    re_path(r"^media/(?P<name>.+)$", serve_media, name="media"),
    # Browsers ask for /favicon.ico on pages that name no icon (JSON, media).
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}damanat/img/favicon.svg")),
    *auth_urlpatterns,
    path("", include("damanat.pages.urls")),
]
