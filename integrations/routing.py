from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from django.urls import path

from .stream import BrowserOriginValidator, EventStreamConsumer

websocket_urlpatterns = [
    path("api/v1/events/stream", EventStreamConsumer.as_asgi(), name="events-stream"),
]

# damanat.asgi serves this (settings.WEBSOCKET_APPLICATION).
websocket_application = BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
