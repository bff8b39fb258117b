"""The one HTTP client for Hikvision ISAPI devices.

Digest authentication (what devices ask for), falling back to Basic when a device
only offers Basic; a timeout on every call; device error bodies turned into the
exceptions in ``errors``. Credentials live only inside the requests auth object:
``repr``, log lines and exception messages carry the device address and path only.
"""

from __future__ import annotations

import json
import logging
import time
import xml.etree.ElementTree as ET  # noqa: S405 — type only; parsing goes through defusedxml
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from damanat.outbound import in_networks

from . import errors
from . import xml as isapi_xml

if TYPE_CHECKING:
    from cameras.models import Camera

logger = logging.getLogger("cameras.isapi")

XML_TYPE = "application/xml; charset=UTF-8"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class ResponseStatus:
    """A device's answer to a write: statusCode 1 is OK, 7 means saved but reboot needed."""

    status_code: int
    status_string: str = "OK"
    sub_status: str = "ok"
    request_url: str = ""


def address_allowed(host: str) -> bool:
    """Cameras are reached only inside the configured networks (loopback in development)."""
    from django.conf import settings

    return in_networks(host, settings.ISAPI_ALLOWED_NETWORKS)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BaseClient:
    """Transport for one device. Use as a context manager, or call ``close()``.

    ``for_camera(camera)`` builds one from a ``cameras.Camera`` row.
    """

    def __init__(
        self,
        host: str,
        *,
        port: int = 80,
        username: str = "",
        password: str = "",
        timeout: float | None = None,
        scheme: str = "http",
        label: str = "",
    ) -> None:
        self.base_url = f"{scheme}://{_bracket(host)}:{port}"
        self._host = host
        self.label = label or f"{host}:{port}"
        self.timeout = timeout if timeout is not None else _default_timeout()
        self._username = username
        self._password = password
        self._session = requests.Session()
        self._session.trust_env = False  # never route a camera call through an environment proxy
        self._session.auth = HTTPDigestAuth(username, password)
        self._basic = False

    @classmethod
    def for_camera(cls, camera: Camera, *, timeout: float | None = None) -> Self:
        return cls(
            camera.ip_address,
            port=camera.http_port,
            username=camera.username,
            password=camera.password,
            timeout=timeout,
            label=camera.code,
        )

    def __repr__(self) -> str:
        return f"<ISAPI {self.label} {self.base_url}>"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    # -- transport -----------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str = "",
        stream: bool = False,
        timeout: float | None = None,
    ) -> requests.Response:
        """Send one request; raise an ``ISAPIError`` for anything but a 2xx answer.

        A busy device (deviceBusy, or 503) is asked again after a growing pause, a
        bounded number of times (ISAPI_BUSY_RETRIES)."""
        retries, pause = _busy_retry_settings()
        for attempt in range(retries + 1):
            try:
                return self._request_once(method, path, body, content_type, stream, timeout)
            except errors.DeviceRejected as exc:
                if attempt == retries or not _busy(exc):
                    raise
                logger.info(
                    "ISAPI %s %s %s busy; asking again in %.2fs", self.label, method, path, pause * 2**attempt
                )
                time.sleep(pause * 2**attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _request_once(
        self,
        method: str,
        path: str,
        body: bytes | str | None,
        content_type: str | None,
        stream: bool,
        timeout: float | None,
    ) -> requests.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        response = self._send(method, path, body, headers, stream, timeout)
        if response.status_code == 401 and self._wants_basic(response):
            self._session.auth = HTTPBasicAuth(self._username, self._password)
            self._basic = True
            response = self._send(method, path, body, headers, stream, timeout)
        logger.debug("ISAPI %s %s %s -> %s", self.label, method, path, response.status_code)
        if response.status_code == 401:
            raise errors.AuthenticationFailed(
                f"{self.label}: authentication failed on {path} (wrong username or password, "
                f"or the account is locked)",
                device=self.label,
                path=path,
                http_status=401,
            )
        if response.status_code >= 300:
            raise self._rejection(response, path)
        return response

    def _send(
        self,
        method: str,
        path: str,
        body: bytes | str | None,
        headers: dict[str, str],
        stream: bool,
        timeout: float | None,
    ) -> requests.Response:
        if not address_allowed(self._host):
            raise errors.AddressNotAllowed(
                f"{self.label}: {self._host} is outside ISAPI_ALLOWED_NETWORKS; nothing sent",
                device=self.label,
                path=path,
            )
        limit = timeout if timeout is not None else self.timeout
        try:
            return self._session.request(
                method,
                self.base_url + path,
                data=body,
                headers=headers,
                stream=stream,
                timeout=(limit, limit),
                allow_redirects=False,
            )
        except requests.exceptions.Timeout:
            raise errors.DeviceTimeout(
                f"{self.label}: no answer within {limit:g}s on {path}", device=self.label, path=path
            )
        except requests.exceptions.ConnectionError as exc:
            raise errors.ConnectionRefused(
                f"{self.label}: cannot connect ({_reason(exc)})", device=self.label, path=path
            )
        except requests.exceptions.RequestException as exc:
            raise errors.ConnectionFailed(
                f"{self.label}: request failed ({type(exc).__name__})", device=self.label, path=path
            )

    def _wants_basic(self, response: requests.Response) -> bool:
        challenge = response.headers.get("WWW-Authenticate", "").lower()
        return not self._basic and "basic" in challenge and "digest" not in challenge

    def _rejection(self, response: requests.Response, path: str) -> errors.ISAPIError:
        fields = _error_fields(response)
        cls = errors.error_class(fields["status_code"], fields["sub_status"], response.status_code)
        detail = fields["sub_status"] or fields["status_string"] or f"HTTP {response.status_code}"
        if fields["error_msg"] and fields["error_msg"] != detail:
            detail = f"{detail}: {fields['error_msg']}"
        return cls(
            f"{self.label}: {path} refused: {detail}",
            device=self.label,
            path=path,
            http_status=response.status_code,
            **fields,
        )

    # -- XML and JSON helpers --------------------------------------------------------

    def get_xml(self, path: str) -> ET.Element:
        return self._xml_of(self.request("GET", path), path)

    def put_xml(self, path: str, document: ET.Element, method: str = "PUT") -> ResponseStatus:
        response = self.request(method, path, body=isapi_xml.serialize(document), content_type=XML_TYPE)
        return _status_of(response)

    def post_xml(self, path: str, document: ET.Element) -> ET.Element:
        response = self.request("POST", path, body=isapi_xml.serialize(document), content_type=XML_TYPE)
        return self._xml_of(response, path)

    def get_json(self, path: str) -> dict:
        return self._json_of(self.request("GET", _json_path(path)), path)

    def send_json(self, method: str, path: str, payload: dict) -> dict:
        response = self.request(
            method, _json_path(path), body=json.dumps(payload).encode(), content_type=JSON_TYPE
        )
        document = self._json_of(response, path) if response.content.strip() else {}
        self._raise_for_json_status(document, response, path)
        return document

    def _xml_of(self, response: requests.Response, path: str) -> ET.Element:
        try:
            return isapi_xml.parse(response.content)
        except Exception:  # noqa: BLE001 — defusedxml raises several unrelated types
            raise errors.BadResponse(
                f"{self.label}: {path} answered something that is not XML",
                device=self.label,
                path=path,
                http_status=response.status_code,
            )

    def _json_of(self, response: requests.Response, path: str) -> dict:
        try:
            document = response.json()
        except ValueError:
            raise errors.BadResponse(
                f"{self.label}: {path} answered something that is not JSON",
                device=self.label,
                path=path,
                http_status=response.status_code,
            )
        if not isinstance(document, dict):
            raise errors.BadResponse(
                f"{self.label}: {path} answered an unexpected JSON document",
                device=self.label,
                path=path,
                http_status=response.status_code,
            )
        return document

    def _raise_for_json_status(self, document: dict, response: requests.Response, path: str) -> None:
        # Some firmware answers 200 with an error status in the body.
        code = _int(document.get("statusCode"))
        if code is not None and code not in (0, 1, 7):
            raise self._rejection(response, path)


def _error_fields(response: requests.Response) -> dict:
    fields = {"status_code": None, "sub_status": "", "status_string": "", "error_code": None, "error_msg": ""}
    body = response.content or b""
    if body.lstrip().startswith(b"{"):
        try:
            document = json.loads(body)
        except ValueError:
            return fields
        return {
            "status_code": _int(document.get("statusCode")),
            "sub_status": str(document.get("subStatusCode", "")),
            "status_string": str(document.get("statusString", "")),
            "error_code": _int(document.get("errorCode")),
            "error_msg": str(document.get("errorMsg", ""))[:200],
        }
    try:
        root = isapi_xml.parse(body)
    except Exception:  # noqa: BLE001 — an HTML or empty error page: keep the HTTP status only
        return fields
    return {
        "status_code": _int(isapi_xml.text(root, "statusCode")),
        "sub_status": isapi_xml.text(root, "subStatusCode"),
        "status_string": isapi_xml.text(root, "statusString"),
        "error_code": _int(isapi_xml.text(root, "errorCode")),
        "error_msg": isapi_xml.text(root, "errorMsg")[:200],
    }


def _status_of(response: requests.Response) -> ResponseStatus:
    try:
        root = isapi_xml.parse(response.content)
    except Exception:  # noqa: BLE001 — some firmware answers 200 with an empty body
        return ResponseStatus(1)
    return ResponseStatus(
        _int(isapi_xml.text(root, "statusCode")) or 1,
        isapi_xml.text(root, "statusString", "OK"),
        isapi_xml.text(root, "subStatusCode", "ok"),
        isapi_xml.text(root, "requestURL"),
    )


def _json_path(path: str) -> str:
    if "format=json" in path:
        return path
    return f"{path}{'&' if '?' in path else '?'}format=json"


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    if "name or service" in text.lower() or "resolve" in text.lower():
        return "unknown host"
    return "network error"


def _busy(exc: errors.DeviceRejected) -> bool:
    return isinstance(exc, errors.DeviceBusy) or exc.http_status == 503


def _busy_retry_settings() -> tuple[int, float]:
    from django.conf import settings

    return (
        int(getattr(settings, "ISAPI_BUSY_RETRIES", 3)),
        float(getattr(settings, "ISAPI_BUSY_BACKOFF_SECONDS", 0.25)),
    )


def _default_timeout() -> float:
    from django.conf import settings

    return float(getattr(settings, "ISAPI_TIMEOUT_SECONDS", 5.0))
