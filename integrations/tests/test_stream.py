from __future__ import annotations

import json
import time

import pytest
import requests
from asgiref.sync import async_to_sync, sync_to_async
from django.test import TestCase
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from alerts.services import raise_alert
from cameras.simulator import anpr_xml, region_event_xml
from damanat.asgi import application
from integrations.bus import send_to_stream

from .communicator import WebsocketCommunicator
from .conftest import user_with

STREAM = "/api/v1/events/stream"
# The consumer closes old connections around its queries, as in production: committed data only.
pytestmark = pytest.mark.django_db(transaction=True)


def message(kind: str, camera: str, **data) -> dict:
    return {
        "type": "stream.message",
        "kind": kind,
        "action": "created",
        "camera": camera,
        "at": "2026-03-01T08:00:00+03:00",
        "data": data,
    }


async def opened(path: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path)
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["kind"] == "hello"
    return communicator


@pytest.mark.parametrize(
    "query, code",
    [
        ("?token=not-a-token", 4401),
        ("?token={outsider}", 4403),
        ("?token={token}&kind=plate_read,gossip", 4400),
    ],
)
def test_connect_is_refused(in_memory_layer, integrator_token, query, code):
    outsider = Token.objects.create(user=user_with("outsider", [])).key

    async def scenario():
        communicator = WebsocketCommunicator(
            application, STREAM + query.format(token=integrator_token, outsider=outsider)
        )
        connected, close_code = await communicator.connect()
        assert (connected, close_code) == (False, code)

    async_to_sync(scenario)()


def test_token_offered_as_a_subprotocol_keeps_it_out_of_the_url(in_memory_layer, integrator_token):
    async def scenario():
        communicator = WebsocketCommunicator(
            application, STREAM + "?kind=alert", subprotocols=["damanat.v1", f"token.{integrator_token}"]
        )
        connected, subprotocol = await communicator.connect()
        assert (connected, subprotocol) == (True, "damanat.v1")
        assert (await communicator.receive_json_from())["kind"] == "hello"
        await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("first, expected", [("{token}", "hello"), ("not-a-token", 4401)])
def test_token_in_the_first_message(in_memory_layer, integrator_token, first, expected):
    async def scenario():
        communicator = WebsocketCommunicator(application, STREAM)
        connected, _ = await communicator.connect()
        assert connected
        await communicator.send_json_to({"type": "auth", "token": first.format(token=integrator_token)})
        answer = await communicator.receive_output(1)
        return json.loads(answer["text"])["kind"] if answer["type"] == "websocket.send" else answer["code"]

    assert async_to_sync(scenario)() == expected


def test_a_client_that_never_authenticates_is_closed_and_hears_nothing(in_memory_layer, monkeypatch):
    from integrations import stream

    monkeypatch.setattr(stream, "AUTH_WAIT_SECONDS", 0.2)

    async def scenario():
        communicator = WebsocketCommunicator(application, STREAM)
        assert (await communicator.connect())[0]
        await sync_to_async(send_to_stream)(message("alert", "CAM-ENTRY"))
        return await communicator.receive_output(1)

    assert async_to_sync(scenario)() == {"type": "websocket.close", "code": 4401}


def test_filters_by_camera_and_kind(in_memory_layer, integrator_token):
    async def scenario():
        stream = await opened(f"{STREAM}?token={integrator_token}&camera=CAM-ENTRY&kind=plate_read,alert")
        for item in (
            message("plate_read", "CAM-EXIT", plate="NOPE1"),
            message("event", "CAM-ENTRY"),
            message("plate_read", "cam-entry", plate="ABC123"),
        ):
            await sync_to_async(send_to_stream)(item)
        received = await stream.receive_json_from(timeout=1)
        assert (received["kind"], received["data"]) == ("plate_read", {"plate": "ABC123"})
        assert await stream.receive_nothing(timeout=0.1)
        await stream.disconnect()

    async_to_sync(scenario)()


def test_header_token_and_ping(in_memory_layer, integrator_token):
    async def scenario():
        communicator = WebsocketCommunicator(
            application, STREAM, headers=[(b"authorization", f"Token {integrator_token}".encode())]
        )
        connected, _ = await communicator.connect()
        assert connected
        await communicator.receive_json_from()
        await communicator.send_json_to({"type": "ping"})
        assert (await communicator.receive_json_from())["kind"] == "pong"
        await communicator.disconnect()

    async_to_sync(scenario)()


def test_alert_changes_are_streamed(in_memory_layer, integrator_token, zone):
    def open_then_acknowledge():
        with TestCase.captureOnCommitCallbacks(execute=True):
            alert = raise_alert("violation", title="Car in no-parking", camera=zone.camera, zone=zone).alert
        with TestCase.captureOnCommitCallbacks(execute=True):
            alert.escalate("critical", at=alert.last_seen_at)
            alert.acknowledge(by=None, note="guard on the way")

    async def scenario():
        stream = await opened(f"{STREAM}?token={integrator_token}&kind=alert")
        await sync_to_async(open_then_acknowledge)()
        created = await stream.receive_json_from(timeout=1)
        escalated = await stream.receive_json_from(timeout=1)
        acknowledged = await stream.receive_json_from(timeout=1)
        assert (created["action"], created["camera"], created["data"]["zone"]) == ("created", "CAM-02", "1")
        assert (escalated["action"], escalated["data"]["severity"]) == ("escalated", "critical")
        assert (acknowledged["action"], acknowledged["data"]["status"]) == ("acknowledged", "acknowledged")
        await stream.disconnect()

    async_to_sync(scenario)()


def push(server, body: bytes, camera_ip: str) -> requests.Response:
    return requests.post(
        f"{server.http}/api/v1/events/camera",
        data=body,
        timeout=5,
        headers={"Content-Type": "application/xml", "X-Forwarded-For": camera_ip},
    )


@pytest.mark.parametrize("layer", ["in_memory_layer", pytest.param("redis_layer", marks=pytest.mark.redis)])
def test_real_websocket_client_sees_a_camera_push_within_a_second(
    request, layer, asgi_server, integrator_token, entry_camera, indoor_camera
):
    request.getfixturevalue(layer)
    url = f"{asgi_server.ws}{STREAM}?token={integrator_token}&camera=CAM-ENTRY&kind=plate_read"
    with connect(url, open_timeout=5) as websocket:
        assert json.loads(websocket.recv(timeout=2))["kind"] == "hello"
        push(asgi_server, region_event_xml("regionEntrance", "1"), "192.168.1.102")  # filtered out
        started = time.monotonic()
        answer = push(asgi_server, anpr_xml("KSA1234"), "192.168.1.104")
        received = json.loads(websocket.recv(timeout=1))
        elapsed = time.monotonic() - started

    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    assert (received["kind"], received["camera"], received["data"]["plate"]) == (
        "plate_read",
        "CAM-ENTRY",
        "KSA1234",
    )
    assert received["data"]["id"] == answer.json()["event_id"]
    assert elapsed < 1.0
