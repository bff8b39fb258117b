"""The staff member's language, remembered server-side and applied on every request.

Django's LocaleMiddleware picks the language from the cookie or the browser; a signed-in
user's saved choice wins over both, so the same person gets the same language on the
guard-room screen and on a laptop. The choice is copied into the session at login, so
no query is needed per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .models import StaffProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest, HttpResponse

SESSION_KEY = "staff_language"


def _supported(code: str) -> bool:
    return code in dict(settings.LANGUAGES)


def load_saved_language(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    language = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()
    if language and _supported(language):
        request.session[SESSION_KEY] = language


def connect_signals() -> None:
    user_logged_in.connect(load_saved_language, dispatch_uid="damanat.language.login")


class UserLanguageMiddleware:
    """Activate the signed-in user's saved language (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        language = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if language and _supported(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
            )
        return response


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus saving the choice on the user's profile."""
    language = request.POST.get("language", "")
    if _supported(language):
        request.session[SESSION_KEY] = language
        if request.user.is_authenticated:
            StaffProfile.objects.update_or_create(user=request.user, defaults={"language": language})
    return set_language(request)
