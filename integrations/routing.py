from __future__ import annotations

from django.urls import path

from .stream import EventStreamConsumer

websocket_urlpatterns = [
    path("api/v1/events/stream", EventStreamConsumer.as_asgi(), name="events-stream"),
]
