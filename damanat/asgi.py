"""ASGI entry point: Django for HTTP, Channels for the live event stream.

The WebSocket side is named in settings (``WEBSOCKET_APPLICATION``), as Django names its
URLconf, so the project package imports no app.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402 — needs Django set up first
from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": import_string(settings.WEBSOCKET_APPLICATION),
    }
)
