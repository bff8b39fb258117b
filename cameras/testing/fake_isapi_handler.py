"""Request handling for the fake camera: authentication, strict parsing, routes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from . import fake_isapi_routes as routes
from . import isapi_bodies as bodies
from .fake_isapi_wire import RecordedRequest, Reject

if TYPE_CHECKING:
    from .fake_isapi import FakeISAPICamera

_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')
NONCE_LIFETIME = 600


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 — the Digest protocol


class FakeISAPIHandler(BaseHTTPRequestHandler):
    server_version = "App-webs/"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — keep test output quiet
        return

    @property
    def camera(self) -> FakeISAPICamera:
        return self.server.camera

    def do_GET(self) -> None:
        self._handle("GET")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # -- plumbing ------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""

        authorized = self._authorized(method)
        self.camera.requests.append(
            RecordedRequest(method, self.path, body, authorized, dict(self.headers.items()))
        )
        if not authorized:
            return self._challenge()
        self.camera.wait()
        route = urlsplit(self.path).path
        fault = self.camera.take_fault(method, route)
        try:
            if fault:
                raise Reject(fault)
            self._route(method, route, body)
        except Reject as rejection:
            self._fail(rejection.error, rejection.message)

    def _send(
        self, status: int, body: bytes, content_type: str = "application/xml", headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _ok(self) -> None:
        if self._is_json():
            return self._send(200, bodies.json_status(self.path), "application/json")
        self._send(200, bodies.response_status(urlsplit(self.path).path))

    def _fail(self, error: str, message: str = "") -> None:
        failure = bodies.FAILURES[error]
        if self._is_json():
            return self._send(
                failure.http_status, bodies.json_status(self.path, failure, message), "application/json"
            )
        self._send(failure.http_status, bodies.failure_xml(urlsplit(self.path).path, failure, message))

    def _is_json(self) -> bool:
        return parse_qs(urlsplit(self.path).query).get("format") == ["json"]

    # -- authentication ----------------------------------------------------------------

    def _challenge(self) -> None:
        camera = self.camera
        if camera.auth == "basic":
            header = f'Basic realm="{camera.realm}"'
        else:
            nonce = secrets.token_hex(16)
            with camera.lock:
                camera.nonces[nonce] = time.monotonic()
            header = f'Digest qop="auth", realm="{camera.realm}", nonce="{nonce}", stale="FALSE"'
        self._send(401, bodies.USER_CHECK_401, headers={"WWW-Authenticate": header})

    def _authorized(self, method: str) -> bool:
        scheme, _, rest = self.headers.get("Authorization", "").partition(" ")
        if self.camera.auth == "basic":
            return scheme.lower() == "basic" and self._basic_ok(rest.strip())
        return scheme.lower() == "digest" and self._digest_ok(method, rest)

    def _basic_ok(self, token: str) -> bool:
        try:
            user, _, password = base64.b64decode(token).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return user == self.camera.username and hmac.compare_digest(password, self.camera.password)

    def _digest_ok(self, method: str, header: str) -> bool:
        params = {m[0]: m[1] or m[2] for m in _PARAM.findall(header)}
        camera = self.camera
        issued = camera.nonces.get(params.get("nonce", ""))
        if (
            issued is None
            or time.monotonic() - issued > NONCE_LIFETIME
            or params.get("username") != camera.username
            or params.get("realm") != camera.realm
            or params.get("uri") != self.path
        ):
            return False
        ha1 = _md5(f"{camera.username}:{camera.realm}:{camera.password}")
        ha2 = _md5(f"{method}:{params['uri']}")
        expected = _md5(
            f"{ha1}:{params['nonce']}:{params.get('nc', '')}:{params.get('cnonce', '')}:"
            f"{params.get('qop', '')}:{ha2}"
        )
        return hmac.compare_digest(expected, params.get("response", ""))

    # -- routes ------------------------------------------------------------------------

    def _route(self, method: str, route: str, body: bytes) -> None:
        for pattern, methods, handler in routes.ROUTES:
            match = re.fullmatch(pattern, route)
            if match:
                if method not in methods:
                    raise Reject("methodNotAllowed")
                return handler(self, body, *match.groups())
        raise Reject("notSupport")
