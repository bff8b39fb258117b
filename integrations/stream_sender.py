"""Live-stream messages sent off the caller's thread, in order.

A processor batch or a request hands its messages over and goes on: one thread per
process keeps an event loop, and with it the channel layer's Redis connection, and sends
them in the order they came. The stream is a view of rows already committed, not the
record: messages still waiting when the process dies are lost, the rows they describe are
not, and a client that reconnects reads the current state. An in-memory layer (tests, the
demo) lives in the caller's loop, so it is sent to at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)
STREAM_GROUP = "integrations.stream"
WAITING_LIMIT = 10_000  # messages; beyond it (the layer is down) new ones are dropped


class _Sender:
    def __init__(self, layer: Any) -> None:
        self.layer, self.pid = layer, os.getpid()
        self.loop = asyncio.new_event_loop()
        self.waiting: asyncio.Queue = asyncio.Queue(WAITING_LIMIT)
        threading.Thread(target=self._run, name="stream-sender", daemon=True).start()

    def submit(self, messages: tuple[dict, ...]) -> None:
        self.loop.call_soon_threadsafe(self._enqueue, messages)

    def _enqueue(self, messages: tuple[dict, ...]) -> None:
        try:
            self.waiting.put_nowait(messages)
        except asyncio.QueueFull:
            logger.warning("live stream backed up: %d message(s) dropped", len(messages))

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._send_forever())

    async def _send_forever(self) -> None:
        while True:
            messages = await self.waiting.get()
            try:
                await send_all(self.layer, messages)
            except Exception as exc:  # noqa: BLE001 — a stream outage never stops the sender
                logger.warning("live stream unavailable: %s: %s", type(exc).__name__, exc)


_sender: _Sender | None = None
_sender_lock = threading.Lock()


def send(*messages: dict) -> None:
    """Queue messages for every stream client; returns at once."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(send_all)(layer, messages)
        return
    _sender_for(layer).submit(messages)


def _sender_for(layer: Any) -> _Sender:
    global _sender
    with _sender_lock:
        if _sender is None or _sender.pid != os.getpid() or _sender.layer is not layer:
            _sender = _Sender(layer)  # first use, a forked worker, or a new layer (tests)
        return _sender


async def send_all(layer: Any, messages: Any) -> None:
    for message in messages:
        await layer.group_send(STREAM_GROUP, message)
