from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from . import api_docs_view, language
from .media import serve_media
from .token_login import TokenLoginView

api_v1 = [
    path("", include("operations.api_urls")),
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
    path("api/model/", include("integrations.model_urls")),
    path("api/model/", include("detectors.urls")),
    path("api/camera/", include("cameras.alarm_urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", api_docs_view.DocsInReadersLanguage.as_view(url_name="schema"), name="api-docs"),
    path("", include("operations.urls")),
    # Staff only, whatever DEBUG says; nginx sends the file (X-Accel-Redirect).
    re_path(r"^media/(?P<name>.+)$", serve_media, name="media"),
    # Browsers ask for /favicon.ico on pages that name no icon (JSON, media).
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}damanat/img/favicon.svg")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("", include("staff.urls")),
]
