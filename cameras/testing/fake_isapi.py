"""A fake Hikvision camera speaking ISAPI on 127.0.0.1, for tests of every team.

    with FakeISAPICamera(password="Cam-Pass-1") as cam:
        camera = cam.create_camera(code="CAM-01")          # a Camera row pointing at it
        ...                                                # run code that uses ISAPIClient
        assert cam.http_hosts[1]["portNo"] == 8080
        cam.push_event("fielddetection")                   # POST to the host it was given

    Recordings for evidence retrieval (ISAPIClient.search_recordings / download_recording):

        clip = cam.add_recording(start, timedelta(minutes=5), content=b"...mp4 bytes...")
        cam.fail("/ISAPI/ContentMgmt/download", "deviceBusy")  # next download answers 503

What it does like a real device: Digest authentication (or Basic with
``auth="basic"``) rejecting wrong credentials with the device's 401 body; strict
parsing of what it is sent (``badXmlFormat`` for broken XML, ``badXmlContent`` for
unknown elements or refused values, e.g. a push password over 16 characters);
``notSupport`` answered with 403 for ``not_supported`` triggers; injectable faults
(``fail(...)``) with real error bodies; slow answers (``delay``) for timeouts;
plate lists, UserInfo, alarm output, recording search and download.

Firmware differences, chosen per test:

    FakeISAPICamera(trigger_readback="no_host_id")   # standard | no_host_id | renamed | bare:
                                                     # how the HTTP notification reads back
    FakeISAPICamera(triggers=("VMD", "vehicledetection"))  # an ANPR camera (no AccessControllerEvent)
    FakeISAPICamera(list_search=False)               # plate lists / UserInfo cannot be searched
    FakeISAPICamera(plate_write="record")            # takes .../licensePlateAuditData/record only
    FakeISAPICamera(host="127.0.6.7", port=8600)     # a fixed address, e.g. many cameras on one port

State is plain attributes (``http_hosts``, ``triggers``, ``plates``, ``users``,
``alarm_outputs``, ``recordings``, ``requests``) that tests read and change.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import requests
from requests.auth import HTTPDigestAuth

from . import isapi_bodies as bodies
from .fake_isapi_handler import FakeISAPIHandler
from .fake_isapi_wire import RecordedRequest

if TYPE_CHECKING:
    from cameras.models import Camera


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout test) leaves a broken pipe: not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


DEFAULT_TRIGGERS = ("fielddetection", "linedetection", "regionEntrance", "regionExiting", "VMD")


@dataclass
class FakeRecording:
    start: datetime
    end: datetime
    content: bytes = b"\x00\x00\x00\x18ftypmp42fake-video-bytes"
    track_id: int = 101
    name: str = ""

    @property
    def start_text(self) -> str:
        return self.start.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def end_text(self) -> str:
        return self.end.strftime("%Y-%m-%dT%H:%M:%SZ")

    def playback_uri(self, host: str) -> str:
        stamp = "%Y%m%dT%H%M%SZ"
        return (
            f"rtsp://{host}/Streaming/tracks/{self.track_id}/?starttime={self.start.strftime(stamp)}"
            f"&endtime={self.end.strftime(stamp)}&name={self.name}&size={len(self.content)}"
        )


@dataclass
class Fault:
    method: str | None
    path_prefix: str
    error: str
    remaining: int | None


class FakeISAPICamera:
    """One fake device; start() / stop() or use as a context manager."""

    def __init__(
        self,
        *,
        username: str = "admin",
        password: str = "Hik-Pass-123",  # noqa: S107 — a fake device
        host: str = "127.0.0.1",
        auth: str = "digest",
        model: str = "DS-2CD3783G2-IZSU",
        serial_number: str = "DS-2CD3783G2-IZSU20260101AAWRJ12345678",
        firmware_version: str = "V5.7.15",
        firmware_build: str = "build 240201",
        mac_address: str = "44:47:cc:12:34:56",
        device_name: str = "IP CAMERA",
        triggers: tuple[str, ...] = DEFAULT_TRIGGERS,
        not_supported: tuple[str, ...] = (),
        plate_lists: bool = True,
        user_info: bool = True,
        alarm_outputs: int = 1,
        trigger_readback: str = "standard",
        list_search: bool = True,
        plate_write: str = "batch",
        port: int = 0,
    ) -> None:
        self.username, self.password, self.auth = username, password, auth
        self.bind_host, self.bind_port = host, port
        assert trigger_readback in bodies.READBACKS, f"unknown read-back shape {trigger_readback!r}"
        assert plate_write in ("batch", "record"), f"unknown plate write form {plate_write!r}"
        # Firmware differences: how triggers read back, whether plate lists and UserInfo can be
        # searched, and which of the two plate write forms the device takes.
        self.trigger_readback, self.list_search, self.plate_write = trigger_readback, list_search, plate_write
        self.model, self.serial_number, self.mac_address = model, serial_number, mac_address
        self.firmware_version, self.firmware_build = firmware_version, firmware_build
        self.device_name, self.device_id = device_name, "88c4a2a0-1dd2-11b2-8000-4447cc123456"
        self.realm = model
        self.http_hosts: dict[int, dict] = {}
        self.triggers: dict[str, list[dict]] = {f"{t}-1": [] for t in triggers}
        self.not_supported: set[str] = set(not_supported)
        self.plate_lists_supported, self.user_info_supported = plate_lists, user_info
        self.plates: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.anpr_enabled = False
        self.alarm_outputs: dict[int, str] = {n: "low" for n in range(1, alarm_outputs + 1)}
        self.alarm_log: list[tuple[int, str]] = []
        self.recordings: list[FakeRecording] = []
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.delay = 0.0
        self.nonces: dict[str, float] = {}
        self.lock = threading.RLock()
        self._next_plate_id = 1
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeISAPICamera:
        server = _Server((self.bind_host, self.bind_port), FakeISAPIHandler)
        server.camera = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.02,), name="fake-isapi", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeISAPICamera:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def host(self) -> str:
        return self.bind_host

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake camera first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def create_camera(self, code: str = "CAM-FAKE", **fields: Any) -> Camera:
        """A saved ``cameras.Camera`` pointing at this device with its credentials."""
        from cameras.models import Camera

        values = {
            "ip_address": self.host,
            "http_port": self.port,
            "username": self.username,
            "password": self.password,
            "model": "",
            **fields,
        }
        return Camera.objects.create(code=code, **values)

    # -- test controls -----------------------------------------------------------------

    def fail(
        self,
        path_prefix: str,
        error: str = "deviceError",
        *,
        method: str | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer matching requests with a real error body (see ``isapi_bodies.FAILURES``);
        ``times=None`` fails until ``clear_faults()``."""
        assert error in bodies.FAILURES, f"unknown device error {error!r}"
        with self.lock:
            self.faults.append(Fault(method, path_prefix, error, times))

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def take_fault(self, method: str, path: str) -> str | None:
        with self.lock:
            for fault in self.faults:
                if path.startswith(fault.path_prefix) and fault.method in (None, method):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self.faults.remove(fault)
                    return fault.error
        return None

    def factory_reset_push(self) -> None:
        """What a technician or a firmware update does: the push settings are gone."""
        with self.lock:
            self.http_hosts.clear()
            for notifications in self.triggers.values():
                notifications[:] = [n for n in notifications if n["method"] != "HTTP"]

    def add_recording(
        self,
        start: datetime,
        duration: timedelta = timedelta(minutes=5),
        content: bytes | None = None,
        channel: int = 1,
    ) -> FakeRecording:
        recording = FakeRecording(
            start,
            start + duration,
            track_id=channel * 100 + 1,
            name=f"{channel:02d}{len(self.recordings):06d}",
        )
        if content is not None:
            recording.content = content
        self.recordings.append(recording)
        return recording

    def requests_to(
        self, route_prefix: str, method: str | None = None, authorized: bool = True
    ) -> list[RecordedRequest]:
        """Requests received for a route; by default only those that passed authentication
        (a client's first request is answered with a challenge and then repeated)."""
        return [
            r
            for r in self.requests
            if r.route.startswith(route_prefix)
            and method in (None, r.method)
            and (r.authorized or not authorized)
        ]

    def new_plate_id(self) -> str:
        with self.lock:
            self._next_plate_id += 1
            return str(self._next_plate_id - 1)

    # -- pushing events ---------------------------------------------------------------

    def push_url(self, slot: int = 1) -> str:
        host = self.http_hosts[slot]
        return f"{host['protocolType'].lower()}://{host['ipAddress']}:{host['portNo']}{host['url']}"

    def push_event(
        self,
        event: str = "fielddetection",
        *,
        slot: int = 1,
        url: str | None = None,
        body: bytes | None = None,
        content_type: str = "",
        timeout: float = 10,
        **simulator_options: Any,
    ) -> requests.Response:
        """POST an event the way the device would: to the HTTP host in ``slot`` (what it was
        provisioned with), or to ``url`` when given (no slot needed, XML unless told).

        The payload follows the slot's parameterFormatType (XML region events, JSON
        AccessControllerEvent for ``event="anpr"``) unless ``body`` is given; the slot's
        MD5digest credentials are used when set."""
        from cameras import simulator

        host = (
            self.http_hosts.get(slot)
            if url is None
            else {"parameterFormatType": "XML", "httpAuthenticationMethod": "none"}
        )
        if host is None:
            raise LookupError(f"no HTTP host configured in slot {slot}: nothing to push to")
        if body is None:
            options = {
                "anpr_format": "json" if host["parameterFormatType"] == "JSON" else "xml",
                **simulator_options,
            }
            body, content_type = simulator.build(event, **options)
        headers = {"Content-Type": content_type or "application/xml"}
        if self.host != "127.0.0.1":
            headers["X-Forwarded-For"] = self.host
        auth = None
        if host["httpAuthenticationMethod"] == "MD5digest":
            auth = HTTPDigestAuth(host.get("userName", ""), host.get("password", ""))
        return requests.post(
            url or self.push_url(slot), data=body, headers=headers, auth=auth, timeout=timeout
        )

    def wait(self) -> None:
        if self.delay:
            time.sleep(self.delay)
