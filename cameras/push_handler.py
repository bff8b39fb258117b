"""Camera pushes skip the middleware that serves people.

A camera's POST needs nothing the middleware stack does for staff: sessions, CSRF, login,
language, messages, CSP or the audit context; under a burst that stack and URL resolving
were a quarter of the webhook's time. ``route_camera_pushes`` wraps the WSGI application:
POSTs to the webhook path go to a handler with no middleware that calls the webhook view
directly; everything else goes through Django as usual. Django's request signals still
fire, so database connections are managed the same way.
"""
from __future__ import annotations

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.urls import ResolverMatch

from .api.webhook import CameraWebhookView

WEBHOOK_PATH = "/api/v1/events/camera"
NOSNIFF = ("X-Content-Type-Options", "nosniff")


class CameraPushHandler(WSGIHandler):
    view = staticmethod(CameraWebhookView.as_view())

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)

    def resolve_request(self, request):
        match = ResolverMatch(self.view, (), {}, url_name="webhook", app_names=["cameras"],
                              namespaces=["cameras"], route=WEBHOOK_PATH.lstrip("/"))
        request.resolver_match = match
        return match


def route_camera_pushes(application):
    push_handler = CameraPushHandler()

    def routed(environ, start_response):
        if environ.get("PATH_INFO") == WEBHOOK_PATH and environ.get("REQUEST_METHOD") == "POST":
            def start_with_nosniff(status, headers, exc_info=None):
                return start_response(status, [*headers, NOSNIFF], exc_info)
            return push_handler(environ, start_with_nosniff)
        return application(environ, start_response)

    return routed
