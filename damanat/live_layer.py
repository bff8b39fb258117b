"""The Channels layer of the live stream: Redis between processes, in memory when embedded."""

from __future__ import annotations

# channels_redis blocks in BZPOPMIN for 5 s per receive; redis-py's default socket timeout
# is also 5 s, so an idle stream raised TimeoutError and dropped its clients. The socket
# timeout only has to notice a dead Redis, well after the longest blocking read.
REDIS_SOCKET_TIMEOUT_SECONDS = 30


def channel_layers(redis_url: str) -> dict:
    if not redis_url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    host = {
        "address": redis_url,
        "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
        "socket_connect_timeout": 5,
        "socket_keepalive": True,
        "health_check_interval": 30,
    }
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [host], "capacity": 1000, "expiry": 30},
        }
    }
