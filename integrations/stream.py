"""WS /api/v1/events/stream — new events, passages, visits and alert changes as JSON.

A staff browser is known by its session. Other clients authenticate, best first:

- offering the subprotocols ``damanat.v1`` and ``token.<key>`` (``Sec-WebSocket-Protocol``;
  the server selects ``damanat.v1``), or ``Authorization: Token <key>``;
- a first message ``{"type": "auth", "token": "<key>"}`` within AUTH_WAIT_SECONDS of opening;
- ``?token=<key>``, only for clients that can do neither (access logs scrub it).

The user must be allowed to view camera events. Optional filters:
``?camera=CAM-ENTRY,CAM-EXIT&kind=plate_read,alert``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import ParseResult, parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token

from .choices import StreamKind
from .stream_sender import STREAM_GROUP

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

REQUIRED_PERMISSION = "cameras.view_cameraevent"
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_FILTER = 4400
SUBPROTOCOL = "damanat.v1"
TOKEN_SUBPROTOCOL_PREFIX = "token."
AUTH_WAIT_SECONDS = 10


def query_params(scope: dict) -> dict[str, list[str]]:
    return parse_qs(scope.get("query_string", b"").decode(errors="replace"))


def token_from(scope: dict) -> str:
    for protocol in scope.get("subprotocols") or []:
        if protocol.startswith(TOKEN_SUBPROTOCOL_PREFIX):
            return protocol.removeprefix(TOKEN_SUBPROTOCOL_PREFIX)
    headers = dict(scope.get("headers") or [])
    words = headers.get(b"authorization", b"").decode(errors="replace").split()
    if len(words) == 2 and words[0].lower() in ("token", "bearer"):
        return words[1]
    params = query_params(scope)
    return params["token"][0] if params.get("token") else ""


def user_for_token(key: str) -> AnonymousUser:
    token = Token.objects.select_related("user").filter(key=key).first() if key else None
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


def listed(params: dict[str, list[str]], name: str) -> set[str]:
    return {item.strip() for value in params.get(name, []) for item in value.split(",") if item.strip()}


class StreamFilter:
    def __init__(self, cameras: set[str], kinds: set[str]) -> None:
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
    filter = None
    auth_timer = None
    subscribed = False

    async def connect(self) -> None:
        try:
            self.filter = StreamFilter.from_scope(self.scope)
        except ValueError:
            await self.close(code=CLOSE_BAD_FILTER)
            return
        user = self.scope.get("user")
        key = token_from(self.scope)
        if (user is None or not user.is_authenticated) and key:
            user = await database_sync_to_async(user_for_token)(key)
        if user is not None and user.is_authenticated:
            await self.start(user)
            return
        if key:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        # No credentials yet: the first message may carry them.
        await self.accept(self.chosen_subprotocol())
        self.auth_timer = asyncio.get_running_loop().call_later(
            AUTH_WAIT_SECONDS, lambda: asyncio.ensure_future(self.close(code=CLOSE_UNAUTHORIZED))
        )

    def chosen_subprotocol(self) -> str | None:
        return SUBPROTOCOL if SUBPROTOCOL in (self.scope.get("subprotocols") or []) else None

    async def start(self, user: User | AnonymousUser) -> None:
        if not await database_sync_to_async(user.has_perm)(REQUIRED_PERMISSION):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(STREAM_GROUP, self.channel_name)
        self.subscribed = True
        if self.auth_timer is None:
            await self.accept(self.chosen_subprotocol())
        else:
            self.auth_timer.cancel()
        await self.send_json(
            {
                "kind": "hello",
                "cameras": sorted(self.filter.cameras),
                "kinds": sorted(self.filter.kinds) or list(StreamKind.values),
            }
        )

    async def disconnect(self, code: int) -> None:
        if self.auth_timer is not None:
            self.auth_timer.cancel()
        if self.subscribed:
            await self.channel_layer.group_discard(STREAM_GROUP, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not self.subscribed:
            await self.authenticate(content)
        elif content.get("type") == "ping":
            await self.send_json({"kind": "pong"})

    async def authenticate(self, content: Any) -> None:
        key = content.get("token") if isinstance(content, dict) and content.get("type") == "auth" else None
        user = await database_sync_to_async(user_for_token)(key if isinstance(key, str) else "")
        if not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        await self.start(user)

    async def stream_message(self, message: dict) -> None:
        if self.subscribed and self.filter.passes(message):
            await self.send_json({key: message[key] for key in ("kind", "action", "camera", "at", "data")})


class BrowserOriginValidator(OriginValidator):
    """Browsers send Origin: it must be one of ALLOWED_HOSTS (no cross-site hijacking of a
    staff session). Integrations and edge boxes send none and authenticate by token."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, settings.ALLOWED_HOSTS)

    def valid_origin(self, parsed_origin: ParseResult | None) -> bool:
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
