"""ASGI entry point: Django for HTTP, Channels for the live event stream."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 — needs Django set up first
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from integrations.routing import websocket_urlpatterns  # noqa: E402
from integrations.stream import BrowserOriginValidator  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    "websocket": BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
