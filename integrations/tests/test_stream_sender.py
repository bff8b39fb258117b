"""The processor hands live-stream messages to a sender thread: it never waits on the layer."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from damanat.live_layer import channel_layers
from integrations import bus
from integrations.stream_sender import STREAM_GROUP

pytestmark = pytest.mark.redis


def message(n: int) -> dict:
    return {
        "type": "stream.message",
        "kind": "event",
        "action": "created",
        "camera": "CAM-01",
        "at": "2026-12-02T00:00:00+00:00",
        "data": {"n": n},
    }


def test_messages_reach_a_stream_client_in_the_order_they_were_sent(redis_layer):
    layer = get_channel_layer()

    async def listen() -> list[int]:
        channel = await layer.new_channel()
        await layer.group_add(STREAM_GROUP, channel)
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: [bus.send_to_stream(message(n), message(n + 1)) for n in range(0, 40, 2)]
        )
        received = [(await asyncio.wait_for(layer.receive(channel), 5))["data"]["n"] for _ in range(40)]
        await layer.group_discard(STREAM_GROUP, channel)
        return received

    assert async_to_sync(listen)() == list(range(40))


def test_a_stream_layer_that_is_down_costs_the_sender_nothing(settings):
    # Nothing listens on port 9: every send would wait for its connection to fail.
    settings.CHANNEL_LAYERS = channel_layers("redis://127.0.0.1:9/0")
    started = time.monotonic()
    for n in range(200):
        bus.send_to_stream(message(n))
    assert time.monotonic() - started < 0.5
