"""WS /api/v1/events/stream — new events, passages, visits and alert changes as JSON.

Connect with a token (``?token=…`` or ``Authorization: Token …``) of a user allowed to view
camera events, and optionally filter: ``?camera=CAM-ENTRY,CAM-EXIT&kind=plate_read,alert``.
"""
from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token

from .bus import STREAM_GROUP
from .choices import StreamKind

REQUIRED_PERMISSION = "cameras.view_cameraevent"
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_FILTER = 4400


def query_params(scope: dict) -> dict[str, list[str]]:
    return parse_qs(scope.get("query_string", b"").decode(errors="replace"))


def token_from(scope: dict) -> str:
    params = query_params(scope)
    if params.get("token"):
        return params["token"][0]
    headers = dict(scope.get("headers") or [])
    words = headers.get(b"authorization", b"").decode(errors="replace").split()
    if len(words) == 2 and words[0].lower() in ("token", "bearer"):
        return words[1]
    return ""


def user_for_token(key: str):
    token = Token.objects.select_related("user").filter(key=key).first() if key else None
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


def listed(params: dict[str, list[str]], name: str) -> set[str]:
    return {item.strip() for value in params.get(name, []) for item in value.split(",") if item.strip()}


class StreamFilter:
    def __init__(self, cameras: set[str], kinds: set[str]):
        self.cameras = {c.lower() for c in cameras}
        self.kinds = kinds

    @classmethod
    def from_scope(cls, scope: dict) -> StreamFilter:
        params = query_params(scope)
        kinds = listed(params, "kind")
        unknown = kinds - set(StreamKind.values)
        if unknown:
            raise ValueError(f"unknown kind: {', '.join(sorted(unknown))}")
        return cls(listed(params, "camera"), kinds)

    def passes(self, message: dict) -> bool:
        if self.kinds and message["kind"] not in self.kinds:
            return False
        return not self.cameras or (message.get("camera") or "").lower() in self.cameras


class EventStreamConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            user = await database_sync_to_async(user_for_token)(token_from(self.scope))
        if not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        if not await database_sync_to_async(user.has_perm)(REQUIRED_PERMISSION):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        try:
            self.filter = StreamFilter.from_scope(self.scope)
        except ValueError:
            await self.close(code=CLOSE_BAD_FILTER)
            return
        await self.channel_layer.group_add(STREAM_GROUP, self.channel_name)
        await self.accept()
        await self.send_json({"kind": "hello", "cameras": sorted(self.filter.cameras),
                              "kinds": sorted(self.filter.kinds) or list(StreamKind.values)})

    async def disconnect(self, code):
        if hasattr(self, "filter"):
            await self.channel_layer.group_discard(STREAM_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"kind": "pong"})

    async def stream_message(self, message: dict):
        if self.filter.passes(message):
            await self.send_json({key: message[key] for key in ("kind", "action", "camera", "at", "data")})


class BrowserOriginValidator(OriginValidator):
    """Browsers send Origin: it must be one of ALLOWED_HOSTS (no cross-site hijacking of a
    staff session). Integrations and edge boxes send none and authenticate by token."""

    def __init__(self, application):
        super().__init__(application, settings.ALLOWED_HOSTS)

    def valid_origin(self, parsed_origin) -> bool:
        return parsed_origin is None or super().valid_origin(parsed_origin)


def channel_layer_status() -> str:
    """For /health: the live stream's channel layer (Redis in production) answers."""
    backend = settings.CHANNEL_LAYERS.get("default", {})
    if not backend.get("BACKEND", "").startswith("channels_redis"):
        return "ok"
    import redis

    host = backend.get("CONFIG", {}).get("hosts", [""])[0]
    address = host["address"] if isinstance(host, dict) else host
    try:
        redis.Redis.from_url(address, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 — reported by kind, like the other checks
        return f"error: {type(exc).__name__}"
    return "ok"
