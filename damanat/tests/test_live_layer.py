"""The live stream's Redis layer keeps a listener with nothing to hear, as production runs it."""

from __future__ import annotations

import asyncio

import pytest
from channels_redis.core import RedisChannelLayer

from damanat.live_layer import channel_layers

pytestmark = pytest.mark.redis


def test_an_idle_listener_outlives_the_redis_socket_timeout_and_still_hears_the_next_message(redis_url):
    config = channel_layers(redis_url)["default"]["CONFIG"]

    async def scenario():
        layer = RedisChannelLayer(**config)
        channel = await layer.new_channel()
        listening = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(12)  # two of channels_redis's 5 s blocking reads, nothing sent
        assert not listening.done(), listening.exception()
        await layer.send(channel, {"type": "stream.message", "kind": "alert"})
        message = await asyncio.wait_for(listening, 5)
        await layer.flush()
        return message

    assert asyncio.run(scenario())["kind"] == "alert"
