"""The fake camera's ISAPI resources. Each handler validates strictly, then changes state."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from . import isapi_bodies as bodies
from .fake_isapi_wire import Reject, _text, strict_json, strict_xml, valid_ip

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from .fake_isapi import FakeISAPICamera
    from .fake_isapi_handler import FakeISAPIHandler

HOST_FIELDS = {
    "id",
    "url",
    "protocolType",
    "parameterFormatType",
    "addressingFormatType",
    "ipAddress",
    "hostName",
    "portNo",
    "userName",
    "password",
    "httpAuthenticationMethod",
    "ipv6Address",
    "httpBroken",
    "SubscribeEvent",
}
HOST_REQUIRED = {
    "id",
    "url",
    "protocolType",
    "parameterFormatType",
    "addressingFormatType",
    "portNo",
    "httpAuthenticationMethod",
}
METHODS = {
    "email",
    "IM",
    "alarm",
    "beep",
    "center",
    "HTTP",
    "FTP",
    "record",
    "monitorAlarm",
    "whiteLight",
    "audio",
}


def device_info(h: FakeISAPIHandler, body: bytes) -> None:
    h._send(200, bodies.device_info(h.camera))


def _parse_host(element: Element) -> dict:
    if set(child.tag for child in element) - HOST_FIELDS:
        raise Reject("badXmlContent")
    host = {tag: _text(element, tag) for tag in HOST_FIELDS if element.find(tag) is not None}
    ok = (
        host.get("id", "").isdigit()
        and host.get("url", "").startswith("/")
        and host.get("protocolType") in ("HTTP", "HTTPS")
        and host.get("parameterFormatType") in ("XML", "JSON")
        and host.get("addressingFormatType") == "ipaddress"
        and valid_ip(host.get("ipAddress", ""))
        and host.get("portNo", "").isdigit()
        and 0 < int(host["portNo"]) < 65536
        and host.get("httpAuthenticationMethod") in ("none", "MD5digest")
        and len(host.get("userName", "")) <= 32
        and len(host.get("password", "")) <= 16
    )
    if not ok:
        raise Reject("badXmlContent")
    needs_credentials = host["httpAuthenticationMethod"] == "MD5digest"
    if needs_credentials and not (host.get("userName") and host.get("password")):
        raise Reject("badXmlContent")
    host["id"], host["portNo"] = int(host["id"]), int(host["portNo"])
    return host


def http_hosts(h: FakeISAPIHandler, body: bytes) -> None:
    camera = h.camera
    if h.command == "GET":
        return h._send(200, bodies.http_host_list([camera.http_hosts[k] for k in sorted(camera.http_hosts)]))
    root = strict_xml(body, {"HttpHostNotificationList"}, {"HttpHostNotification"})
    hosts = [
        _parse_host(strict_xml(_xml_bytes(e), {"HttpHostNotification"}, HOST_FIELDS, HOST_REQUIRED))
        for e in root.findall("HttpHostNotification")
    ]
    with camera.lock:
        camera.http_hosts = {host["id"]: host for host in hosts}
    h._ok()


def http_host(h: FakeISAPIHandler, body: bytes, slot: str) -> None:
    camera = h.camera
    if h.command == "GET":
        if int(slot) not in camera.http_hosts:
            raise Reject("invalidOperation")
        return h._send(200, _single_host(camera.http_hosts[int(slot)]))
    if int(slot) not in (1, 2):
        raise Reject("badParameters")
    host = _parse_host(strict_xml(body, {"HttpHostNotification"}, HOST_FIELDS, HOST_REQUIRED))
    if host["id"] != int(slot):
        raise Reject("badXmlContent")
    with camera.lock:
        camera.http_hosts[host["id"]] = host
    h._ok()


def _single_host(host: dict) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + bodies.http_host(host)
        .replace("<HttpHostNotification>", f'<HttpHostNotification version="2.0" xmlns="{bodies.NS}">', 1)
        .encode()
    )


def _xml_bytes(element: Element) -> bytes:
    from xml.etree.ElementTree import tostring  # noqa: S405 — serialising our own parse result

    return tostring(element)


def event_trigger(h: FakeISAPIHandler, body: bytes, trigger_id: str) -> None:
    camera = h.camera
    event_type = trigger_id.rsplit("-", 1)[0]
    if trigger_id in camera.not_supported or event_type in camera.not_supported:
        raise Reject("notSupport")
    if trigger_id not in camera.triggers:
        raise Reject("notSupport")
    if h.command == "GET":
        return h._send(
            200,
            bodies.event_trigger(
                trigger_id, event_type, camera.triggers[trigger_id], camera.trigger_readback
            ),
        )
    root = strict_xml(
        body,
        {"EventTrigger"},
        {
            "id",
            "eventType",
            "eventDescription",
            "videoInputChannelID",
            "inputIOPortID",
            "dynVideoInputChannelID",
            "EventTriggerNotificationList",
        },
        {"id", "eventType", "EventTriggerNotificationList"},
    )
    if _text(root, "id") != trigger_id or _text(root, "eventType").lower() != event_type.lower():
        raise Reject("badXmlContent")
    notifications = [_notification(e, camera) for e in root.find("EventTriggerNotificationList")]
    _refuse_duplicates(notifications)
    shown_id = bodies.READBACKS[camera.trigger_readback][0]
    for notification in notifications:
        if shown_id and notification["method"] == "HTTP":
            notification["id"] = shown_id  # this firmware keeps its own id for the HTTP entry
    with camera.lock:
        camera.triggers[trigger_id] = notifications
    h._ok()


def _notification(element: Element, camera: FakeISAPICamera) -> dict:
    if element.tag != "EventTriggerNotification":
        raise Reject("badXmlContent")
    tags = {child.tag for child in element}
    if tags - {"id", "notificationMethod", "notificationRecurrence", "httpHostID", "videoInputID"}:
        raise Reject("badXmlContent")
    method = _text(element, "notificationMethod")
    host_id = _text(element, "httpHostID")
    if method == "HTTP" and not host_id and not bodies.READBACKS[camera.trigger_readback][1]:
        host_id = "1"  # firmware that never shows the host id has one HTTP host
    if method not in METHODS or not _text(element, "id"):
        raise Reject("badXmlContent")
    if method == "HTTP" and (not host_id.isdigit() or int(host_id) not in camera.http_hosts):
        raise Reject("badXmlContent")  # a trigger can only point at a configured host
    return {
        "id": _text(element, "id"),
        "method": method,
        "recurrence": _text(element, "notificationRecurrence"),
        "httpHostID": int(host_id) if host_id.isdigit() else None,
    }


def _refuse_duplicates(notifications: list[dict]) -> None:
    ids = [n["id"].lower() for n in notifications]
    hosts = [n["httpHostID"] for n in notifications if n["method"] == "HTTP"]
    if len(ids) != len(set(ids)) or len(hosts) != len(set(hosts)):
        raise Reject("badXmlContent", "duplicate EventTriggerNotification id")


def vehicle_detect(h: FakeISAPIHandler, body: bytes, channel: str) -> None:
    if not h.camera.plate_lists_supported:
        raise Reject("notSupport")
    root = strict_xml(
        body, {"VehicleDetectCap", "VehicleDetectCfg"}, {"enabled", "recognitionMode"}, {"enabled"}
    )
    if _text(root, "enabled") not in ("true", "false") or _text(root, "recognitionMode") not in (
        "",
        "plate",
        "vehicle",
    ):
        raise Reject("badXmlContent")
    h.camera.anpr_enabled = _text(root, "enabled") == "true"
    h._ok()


def _page(h: FakeISAPIHandler, items: list, cond: dict) -> tuple[list, str, int]:
    try:
        start, limit = int(cond.get("searchResultPosition", 0)), int(cond.get("maxResults", 0))
    except (TypeError, ValueError):
        raise Reject("badJsonContent")
    if not cond.get("searchID") or limit <= 0:
        raise Reject("badJsonContent")
    page = items[start : start + min(limit, 50)]
    more = start + len(page) < len(items)
    return page, "MORE" if more else ("OK" if page else "NO MATCH"), len(items)


def plate_search(h: FakeISAPIHandler, body: bytes, channel: str) -> None:
    if not (h.camera.plate_lists_supported and h.camera.list_search):
        raise Reject("notSupport")
    cond = strict_json(body, "LPSearchCond")
    entries = [h.camera.plates[k] for k in sorted(h.camera.plates, key=int)]
    page, status, total = _page(h, entries, cond)
    h._send(
        200,
        _json(
            {
                "LPListAuditSearchResult": {
                    "searchID": cond["searchID"],
                    "responseStatusStrg": status,
                    "numOfMatches": len(page),
                    "totalMatches": total,
                    "LicensePlateInfoList": page,
                }
            }
        ),
        "application/json",
    )


def plate_save(h: FakeISAPIHandler, body: bytes, channel: str, form: str = "batch") -> None:
    if not h.camera.plate_lists_supported:
        raise Reject("notSupport")
    if form != h.camera.plate_write:
        raise Reject("methodNotAllowed" if form == "batch" else "notSupport")
    entries = strict_json(body, "LicensePlateInfoList")
    if not isinstance(entries, list):
        raise Reject("badJsonContent")
    checked = [_plate_entry(e, h.camera) for e in entries]
    with h.camera.lock:
        for entry in checked:
            entry["id"] = entry.get("id") or h.camera.new_plate_id()
            h.camera.plates[entry["id"]] = entry
    h._ok()


def _plate_entry(entry: dict, camera: FakeISAPICamera) -> dict:
    allowed = {"LicensePlate", "listType", "effectiveStartDate", "effectiveTime", "id", "createTime"}
    if not isinstance(entry, dict) or set(entry) - allowed:
        raise Reject("badJsonContent")
    plate = entry.get("LicensePlate")
    if (
        not isinstance(plate, str)
        or not 0 < len(plate) <= 16
        or entry.get("listType") not in ("whiteList", "blackList")
    ):
        raise Reject("badParameters")
    for key in ("effectiveStartDate", "effectiveTime"):
        if entry.get(key):
            _date(entry[key])
    if entry.get("id") and entry["id"] not in camera.plates:
        raise Reject("badParameters")
    return {
        k: entry.get(k, "") for k in ("id", "LicensePlate", "listType", "effectiveStartDate", "effectiveTime")
    }


def _date(value: object) -> None:
    try:
        datetime.strptime(str(value), "%Y-%m-%d")
    except ValueError:
        raise Reject("badParameters")


def plate_record_save(h: FakeISAPIHandler, body: bytes, channel: str) -> None:
    plate_save(h, body, channel, form="record")


def plate_delete(h: FakeISAPIHandler, body: bytes, channel: str) -> None:
    """By id, by plate, or everything (``deleteAllEnabled``)."""
    if not h.camera.plate_lists_supported:
        raise Reject("notSupport")
    try:
        cond = json.loads(body)
    except ValueError:
        raise Reject("badJsonFormat")
    plates = h.camera.plates
    if not isinstance(cond, dict):
        raise Reject("badJsonContent")
    if cond.get("deleteAllEnabled") is True:
        doomed = list(plates)
    elif isinstance(cond.get("id"), list):
        doomed = cond["id"]
    elif isinstance(cond.get("licensePlate"), list):
        doomed = [k for k, e in plates.items() if e["LicensePlate"] in cond["licensePlate"]]
    else:
        raise Reject("badJsonContent")
    if any(i not in plates for i in doomed):
        raise Reject("badParameters")
    with h.camera.lock:
        for entry_id in doomed:
            del plates[entry_id]
    h._ok()


def user_search(h: FakeISAPIHandler, body: bytes) -> None:
    if not (h.camera.user_info_supported and h.camera.list_search):
        raise Reject("notSupport")
    cond = strict_json(body, "UserInfoSearchCond")
    users = [h.camera.users[k] for k in sorted(h.camera.users)]
    page, status, total = _page(h, users[:], cond)
    page = page[:30]  # the device's own cap per page
    status = "MORE" if int(cond.get("searchResultPosition", 0)) + len(page) < total else status
    h._send(
        200,
        _json(
            {
                "UserInfoSearch": {
                    "searchID": cond["searchID"],
                    "responseStatusStrg": status,
                    "numOfMatches": len(page),
                    "totalMatches": total,
                    "UserInfo": page,
                }
            }
        ),
        "application/json",
    )


def user_setup(h: FakeISAPIHandler, body: bytes) -> None:
    if not h.camera.user_info_supported:
        raise Reject("notSupport")
    user = strict_json(body, "UserInfo")
    allowed = {"employeeNo", "name", "userType", "Valid", "cardNo", "doorRight", "RightPlan"}
    if not isinstance(user, dict) or set(user) - allowed or not user.get("employeeNo"):
        raise Reject("badJsonContent")
    if (
        user.get("userType", "normal") not in ("normal", "visitor", "blackList")
        or len(str(user.get("name", ""))) > 32
        or len(str(user["employeeNo"])) > 32
    ):
        raise Reject("badParameters")
    with h.camera.lock:
        h.camera.users[str(user["employeeNo"])] = user
    h._ok()


def user_delete(h: FakeISAPIHandler, body: bytes) -> None:
    if not h.camera.user_info_supported:
        raise Reject("notSupport")
    cond = strict_json(body, "UserInfoDelCond")
    numbers = [item.get("employeeNo") for item in cond.get("EmployeeNoList", []) if isinstance(item, dict)]
    with h.camera.lock:
        for number in numbers:
            h.camera.users.pop(str(number), None)
    h._ok()


def user_delete_all(h: FakeISAPIHandler, body: bytes) -> None:
    if not h.camera.user_info_supported:
        raise Reject("notSupport")
    if strict_json(body, "UserInfoDetail").get("mode") != "all":
        raise Reject("badJsonContent")
    with h.camera.lock:
        h.camera.users.clear()
    h._ok()


def user_delete_process(h: FakeISAPIHandler, body: bytes) -> None:
    if not h.camera.user_info_supported:
        raise Reject("notSupport")
    h._send(200, _json({"UserInfoDetailDeleteProcess": {"status": "success"}}), "application/json")


def alarm_output(h: FakeISAPIHandler, body: bytes, output: str) -> None:
    root = strict_xml(body, {"IOPortData"}, {"outputState"}, {"outputState"})
    state = _text(root, "outputState")
    if state not in ("high", "low") or int(output) not in h.camera.alarm_outputs:
        raise Reject("badXmlContent" if state not in ("high", "low") else "notSupport")
    with h.camera.lock:
        h.camera.alarm_outputs[int(output)] = state
        h.camera.alarm_log.append((int(output), state))
    h._ok()


def recording_search(h: FakeISAPIHandler, body: bytes) -> None:
    root = strict_xml(
        body,
        {"CMSearchDescription"},
        {
            "searchID",
            "trackIDList",
            "timeSpanList",
            "maxResults",
            "searchResultPostion",
            "searchResultPosition",
            "metadataList",
            "contentTypeList",
        },
        {"searchID", "trackIDList", "timeSpanList", "maxResults"},
    )
    try:
        tracks = {int(t.text) for t in root.iterfind("trackIDList/trackID")}
        start = _utc(root.find("timeSpanList/timeSpan/startTime").text)
        end = _utc(root.find("timeSpanList/timeSpan/endTime").text)
        position = int(_text(root, "searchResultPostion") or _text(root, "searchResultPosition") or 0)
        limit = int(_text(root, "maxResults"))
    except (AttributeError, TypeError, ValueError):
        raise Reject("badXmlContent")
    matches = sorted(
        (r for r in h.camera.recordings if r.track_id in tracks and r.start < end and r.end > start),
        key=lambda r: r.start,
    )
    page = matches[position : position + limit]
    h._send(
        200,
        bodies.search_result(
            _text(root, "searchID"), page, position + len(page) < len(matches), h.camera.host
        ),
    )


def _utc(text: str) -> datetime:
    if not text or not text.endswith("Z"):
        raise ValueError(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def recording_download(h: FakeISAPIHandler, body: bytes) -> None:
    root = strict_xml(body, {"downloadRequest"}, {"playbackURI"}, {"playbackURI"})
    uri = _text(root, "playbackURI")
    recording = next((r for r in h.camera.recordings if r.playback_uri(h.camera.host) == uri), None)
    if recording is None:
        raise Reject("badParameters")
    h._send(200, recording.content, "video/mp4")


def _json(document: dict) -> bytes:
    return json.dumps(document).encode()


ROUTES = [
    (r"/ISAPI/System/deviceInfo", {"GET"}, device_info),
    (r"/ISAPI/Event/notification/httpHosts", {"GET", "PUT"}, http_hosts),
    (r"/ISAPI/Event/notification/httpHosts/(\d+)", {"GET", "PUT"}, http_host),
    (r"/ISAPI/Event/triggers/([A-Za-z]+-\d+)", {"GET", "PUT"}, event_trigger),
    (r"/ISAPI/Traffic/channels/(\d+)/vehicleDetect", {"PUT"}, vehicle_detect),
    (r"/ISAPI/Traffic/channels/(\d+)/searchLPListAudit", {"POST"}, plate_search),
    (r"/ISAPI/Traffic/channels/(\d+)/licensePlateAuditData", {"PUT"}, plate_save),
    (r"/ISAPI/Traffic/channels/(\d+)/licensePlateAuditData/record", {"PUT"}, plate_record_save),
    (r"/ISAPI/Traffic/channels/(\d+)/DelLicensePlateAuditData", {"PUT"}, plate_delete),
    (r"/ISAPI/AccessControl/UserInfo/Search", {"POST"}, user_search),
    (r"/ISAPI/AccessControl/UserInfo/SetUp", {"PUT", "POST"}, user_setup),
    (r"/ISAPI/AccessControl/UserInfo/Delete", {"PUT"}, user_delete),
    (r"/ISAPI/AccessControl/UserInfoDetail/Delete", {"PUT"}, user_delete_all),
    (r"/ISAPI/AccessControl/UserInfoDetail/DeleteProcess", {"GET"}, user_delete_process),
    (r"/ISAPI/System/IO/outputs/(\d+)/trigger", {"PUT"}, alarm_output),
    (r"/ISAPI/ContentMgmt/search", {"POST"}, recording_search),
    (r"/ISAPI/ContentMgmt/download", {"GET", "POST"}, recording_download),
]
