"""MQTT: publish the JSON payload with QoS 1 and wait for the broker's acknowledgement.

Refused or dropped connections and missing acks are transient; a broker refusing the
credentials is permanent.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt

from damanat.outbound import destination_allowed
from damanat.outbox.errors import Result, TransportError

from .base import Destination
from .webhook import encode

# CONNACK refusals that retrying cannot fix (MQTT 5 codes; paho maps 3.1.1's onto them).
DEFAULT_PORT = 1883
PERMANENT_CONNACK = {
    "Bad user name or password",
    "Not authorized",
    "Client identifier not valid",
    "Unsupported protocol version",
    "Banned",
}


@dataclass(frozen=True)
class MqttTarget:
    host: str
    topic: str
    port: int = DEFAULT_PORT
    username: str = ""
    password: str = ""
    timeout: float = 5.0
    qos: int = 1
    retain: bool = False


def topic_for(prefix: str, kind: str) -> str:
    return f"{prefix.rstrip('/')}/{kind}"


def send(target: MqttTarget, payload: dict, event_id: str) -> Result:
    if not target.host or not target.topic:
        raise TransportError("MQTT host and topic are required", permanent=True)
    if not destination_allowed(target.host):
        raise TransportError("broker outside OUTBOUND_ALLOWED_NETWORKS; nothing sent", permanent=True)
    started = time.monotonic()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"damanat-{event_id}"[:64])
    if target.username:
        client.username_pw_set(target.username, target.password or None)
    connected = _watch_connect(client)
    try:
        client.connect(target.host, target.port, keepalive=max(5, int(target.timeout * 2)))
    except OSError as exc:
        raise TransportError(f"cannot reach MQTT broker {target.host}:{target.port}: {exc}")
    client.loop_start()
    try:
        _await_connack(connected, target)
        info = client.publish(target.topic, encode(payload), qos=target.qos, retain=target.retain)
        info.wait_for_publish(timeout=target.timeout)
        if not info.is_published():
            raise TransportError(f"no acknowledgement from broker within {target.timeout:g}s")
    except (ValueError, RuntimeError) as exc:
        raise TransportError(f"publish failed: {exc}")
    finally:
        client.disconnect()
        client.loop_stop()
    return Result(None, f"published to {target.topic}", int((time.monotonic() - started) * 1000))


def _watch_connect(client: mqtt.Client) -> dict:
    state = {"event": threading.Event(), "reason": None}

    def on_connect(_client: Any, _userdata: Any, _flags: Any, reason_code: Any, _properties: Any) -> None:
        state["reason"] = reason_code
        state["event"].set()

    client.on_connect = on_connect
    return state


def _await_connack(state: dict, target: MqttTarget) -> None:
    if not state["event"].wait(target.timeout):
        raise TransportError(f"MQTT broker {target.host}:{target.port} did not answer the connect")
    reason = state["reason"]
    if reason.is_failure:
        name = getattr(reason, "getName", lambda: str(reason))()
        raise TransportError(
            f"MQTT broker refused the connection: {name}", permanent=name in PERMANENT_CONNACK
        )


class MqttTransport:
    kind = "mqtt"
    send = staticmethod(send)

    @staticmethod
    def target(destination: Destination, subject: str) -> MqttTarget:
        """``destination.url`` is ``mqtt://host[:port]``."""
        parts = urlsplit(destination.url)
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise TransportError(f"bad MQTT port in {destination.url!r}", permanent=True)
        return MqttTarget(
            host=parts.hostname or "",
            port=port,
            topic=topic_for(destination.topic_prefix, subject),
            username=destination.username,
            password=destination.password,
            timeout=destination.timeout,
        )


def broker_url(host: str, port: int) -> str:
    return f"mqtt://[{host}]:{port}" if ":" in host else f"mqtt://{host}:{port}"
