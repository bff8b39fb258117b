"""Answers as Hikvision firmware writes them, for the fake camera.

Status codes, sub-status words, HTTP statuses and error codes follow the ISAPI
specification: notSupport is answered with 403, format errors with 400, device
errors with 500.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from .fake_isapi import FakeISAPICamera

NS = "http://www.isapi.org/ver20/XMLSchema"


@dataclass(frozen=True)
class Failure:
    http_status: int
    status_code: int
    status_string: str
    sub_status: str
    error_code: int


FAILURES = {
    "notSupport": Failure(403, 4, "Invalid Operation", "notSupport", 0x40000001),
    "invalidOperation": Failure(403, 4, "Invalid Operation", "invalidOperation", 0x40000002),
    "lowPrivilege": Failure(403, 4, "Invalid Operation", "lowPrivilege", 0x40000006),
    "methodNotAllowed": Failure(405, 4, "Invalid Operation", "methodNotAllowed", 0x40000003),
    "badXmlFormat": Failure(400, 5, "Invalid XML Format", "badXmlFormat", 0x50000001),
    "badJsonFormat": Failure(400, 5, "Invalid Format", "badJsonFormat", 0x50000001),
    "badXmlContent": Failure(400, 6, "Invalid XML Content", "badXmlContent", 0x60000001),
    "badJsonContent": Failure(400, 6, "Invalid Content", "badJsonContent", 0x60000001),
    "badParameters": Failure(400, 6, "Invalid Content", "badParameters", 0x60000004),
    "deviceBusy": Failure(503, 2, "Device Busy", "deviceBusy", 0x20000001),
    "deviceError": Failure(500, 3, "Device Error", "deviceError", 0x30000001),
}


def response_status(
    request_url: str, status_code: int = 1, status_string: str = "OK", sub_status: str = "ok"
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<ResponseStatus version="2.0" xmlns="{NS}">\n'
        f"<requestURL>{escape(request_url)}</requestURL>\n"
        f"<statusCode>{status_code}</statusCode>\n"
        f"<statusString>{escape(status_string)}</statusString>\n"
        f"<subStatusCode>{escape(sub_status)}</subStatusCode>\n"
        f"</ResponseStatus>\n"
    ).encode()


def failure_xml(request_url: str, failure: Failure, message: str = "") -> bytes:
    body = response_status(request_url, failure.status_code, failure.status_string, failure.sub_status)
    if not message:
        return body
    return body.replace(
        b"</ResponseStatus>", f"<errorMsg>{escape(message)}</errorMsg>\n</ResponseStatus>".encode()
    )


def json_status(request_url: str, failure: Failure | None = None, message: str = "") -> bytes:
    if failure is None:
        return json.dumps(
            {"requestURL": request_url, "statusCode": 1, "statusString": "OK", "subStatusCode": "ok"}
        ).encode()
    return json.dumps(
        {
            "requestURL": request_url,
            "statusCode": failure.status_code,
            "statusString": failure.status_string,
            "subStatusCode": failure.sub_status,
            "errorCode": failure.error_code,
            "errorMsg": message or failure.sub_status,
        }
    ).encode()


USER_CHECK_401 = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<userCheck version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">\n'
    b"<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n"
    b"</userCheck>\n"
)


def device_info(state: FakeISAPICamera) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<DeviceInfo version="2.0" xmlns="{NS}">\n'
        f"<deviceName>{escape(state.device_name)}</deviceName>\n"
        f"<deviceID>{escape(state.device_id)}</deviceID>\n"
        f"<model>{escape(state.model)}</model>\n"
        f"<serialNumber>{escape(state.serial_number)}</serialNumber>\n"
        f"<macAddress>{escape(state.mac_address)}</macAddress>\n"
        f"<firmwareVersion>{escape(state.firmware_version)}</firmwareVersion>\n"
        f"<firmwareReleasedDate>{escape(state.firmware_build)}</firmwareReleasedDate>\n"
        f"<deviceType>IPCamera</deviceType>\n"
        f"</DeviceInfo>\n"
    ).encode()


HOST_TAGS = (
    "id",
    "url",
    "protocolType",
    "parameterFormatType",
    "addressingFormatType",
    "ipAddress",
    "portNo",
    "userName",
    "httpAuthenticationMethod",
)


def http_host(host: dict) -> str:
    """A host as firmware reads it back: the password never; a field it lacks, left out."""
    fields = "".join(
        f"<{tag}>{escape(str(host[tag]))}</{tag}>" for tag in HOST_TAGS if host.get(tag) not in (None, "")
    )
    return f"<HttpHostNotification>{fields}</HttpHostNotification>"


def http_host_list(hosts: list[dict]) -> bytes:
    inner = "".join(http_host(h) for h in hosts)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<HttpHostNotificationList version="2.0" '
        f'xmlns="{NS}">{inner}</HttpHostNotificationList>\n'
    ).encode()


# How firmware reads an HTTP notification back: the id it shows, and whether httpHostID comes back.
READBACKS = {
    "standard": (None, True),
    "no_host_id": (None, False),
    "renamed": ("HTTP", True),
    "bare": ("http", False),
}


def event_trigger(
    trigger_id: str, event_type: str, notifications: list[dict], readback: str = "standard"
) -> bytes:
    shown_id, with_host = READBACKS[readback]
    items = "".join(
        f"<EventTriggerNotification><id>{escape(_shown_id(n, shown_id))}</id>"
        f"<notificationMethod>{n['method']}</notificationMethod>"
        + (
            f"<notificationRecurrence>{n['recurrence']}</notificationRecurrence>"
            if n.get("recurrence")
            else ""
        )
        + (f"<httpHostID>{n['httpHostID']}</httpHostID>" if n.get("httpHostID") and with_host else "")
        + "</EventTriggerNotification>"
        for n in notifications
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<EventTrigger version="2.0" xmlns="{NS}">'
        f"<id>{escape(trigger_id)}</id><eventType>{escape(event_type)}</eventType>"
        f"<eventDescription>{escape(event_type)} Event trigger Information</eventDescription>"
        f"<videoInputChannelID>1</videoInputChannelID>"
        f"<EventTriggerNotificationList>{items}</EventTriggerNotificationList>"
        f"</EventTrigger>\n"
    ).encode()


def _shown_id(notification: dict, shown_id: str | None) -> str:
    return shown_id if shown_id and notification["method"] == "HTTP" else notification["id"]


def search_result(search_id: str, items: list, more: bool, rtsp_host: str) -> bytes:
    matches = "".join(
        f"<searchMatchItem><sourceID>{{0000000000-0000-0000-0000-000000000000}}</sourceID>"
        f"<trackID>{r.track_id}</trackID><timeSpan><startTime>{r.start_text}</startTime>"
        f"<endTime>{r.end_text}</endTime></timeSpan><mediaSegmentDescriptor>"
        f"<contentType>video</contentType><codecType>H.264-BP</codecType>"
        f"<playbackURI>{escape(r.playback_uri(rtsp_host))}</playbackURI>"
        f"</mediaSegmentDescriptor><metadataMatches><metadataDescriptor>recordType.meta.hikvision.com/"
        f"timing</metadataDescriptor></metadataMatches></searchMatchItem>"
        for r in items
    )
    status = "MORE" if more else ("OK" if items else "NO MATCH")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CMSearchResult version="2.0" xmlns="{NS}">'
        f"<searchID>{escape(search_id)}</searchID><responseStatus>true</responseStatus>"
        f"<responseStatusStrg>{status}</responseStatusStrg><numOfMatches>{len(items)}</numOfMatches>"
        f"<matchList>{matches}</matchList></CMSearchResult>\n"
    ).encode()
