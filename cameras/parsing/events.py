"""Turn one camera push (XML, JSON or multipart) into a ParsedEvent."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cameras.choices import EventType, canonical_event_type

from .times import parse_camera_time
from .tree import PayloadError, find, find_text, json_to_tree, xml_to_tree

NO_PLATE = {"unknown", "无车牌", "none", "noplate", "n/a"}
HEARTBEAT_TYPES = {"heartbeat", "other"}


@dataclass
class Picture:
    name: str
    content_type: str
    data: bytes


@dataclass
class ParsedEvent:
    event_type: str = ""
    event_state: str = ""
    event_description: str = ""
    channel_id: int | None = None
    channel_name: str = ""
    region_id: str = ""
    detection_target: str = ""
    trigger_time: datetime | None = None
    trigger_time_flagged: bool = False
    device_uuid: str = ""
    device_serial: str = ""
    device_mac: str = ""
    device_ip: str = ""
    plate: str = ""
    original_plate: str = ""
    plate_confidence: float | None = None
    direction: str = ""
    vehicle_type: str = ""
    vehicle_color: str = ""
    plate_list: str = ""
    picture_urls: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    pictures: list[Picture] = field(default_factory=list)
    event_text: bytes = b""

    @property
    def is_heartbeat(self) -> bool:
        kind = self.event_type.lower()
        if kind == EventType.VIDEO_LOSS.lower() and self.event_state == "inactive":
            return True
        return kind in HEARTBEAT_TYPES

    @property
    def is_plate_read(self) -> bool:
        return self.event_type in EventType.PLATE_READS


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _confidence(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 100 else None


def _plate_fields(tree: dict) -> dict:
    anpr = find(tree, "anpr")
    access = find(tree, "accesscontrollerevent")
    source = anpr if isinstance(anpr, dict) else access if isinstance(access, dict) else None
    if source is None:
        return {}
    read = find_text(source, "licensePlate", "plateNumber", "cardNo")
    vehicle = find(source, "vehicleInfo")
    vehicle = vehicle if isinstance(vehicle, dict) else {}
    return {
        "plate": "" if read.lower().replace(" ", "") in NO_PLATE else read[:32],
        "original_plate": (find_text(source, "originalLicensePlate") or read)[:64],
        "plate_confidence": _confidence(find_text(source, "confidenceLevel", "confidence")),
        "direction": find_text(source, "direction", "vehicleDirection")[:20],
        "vehicle_type": (find_text(vehicle, "vehicleType") or find_text(source, "vehicleType"))[:30],
        "vehicle_color": find_text(vehicle, "color", "vehicleColor")[:30],
        "plate_list": find_text(source, "vehicleListName", "listType", "plateListType",
                                "userType")[:30],
    }


def _picture_urls(tree: dict) -> list[str]:
    urls = []
    for name in ("pictureURL", "bkgUrl", "picUrl"):
        value = find_text(tree, name)
        if value.startswith(("http://", "https://")):
            urls.append(value)
    return urls


def extract(tree: dict, received_at: datetime) -> ParsedEvent:
    region = find(tree, "DetectionRegionEntry", "regionEntry") or tree
    raw_time = find_text(tree, "triggerTime", "dateTime", "absTime", "time")
    trigger_time, flagged = parse_camera_time(raw_time, received_at)
    event = ParsedEvent(
        event_type=canonical_event_type(find_text(tree, "eventType"))[:64],
        event_state=find_text(tree, "eventState").lower()[:10],
        event_description=find_text(tree, "eventDescription")[:200],
        channel_id=_int_or_none(find_text(tree, "channelID", "dynChannelID", "channel")),
        channel_name=find_text(tree, "channelName")[:100],
        region_id=find_text(region, "regionID")[:100],
        detection_target=find_text(region, "detectionTarget", "targetType").lower()[:20],
        trigger_time=trigger_time,
        trigger_time_flagged=flagged,
        device_uuid=find_text(tree, "UUID", "uuid")[:100],
        device_serial=find_text(tree, "deviceSerial", "serialNumber", "deviceID")[:100],
        device_mac=find_text(tree, "macAddress")[:32],
        device_ip=find_text(tree, "ipAddress")[:64],
        picture_urls=_picture_urls(tree),
        **_plate_fields(tree),
    )
    if event.event_type == EventType.ACCESS_CONTROLLER:
        access = find(tree, "AccessControllerEvent") or {}
        event.extra = {k: access.get(k.lower()) for k in ("name", "employeeNoString", "userType",
                                                           "majorEventType", "subEventType")
                       if isinstance(access, dict) and access.get(k.lower()) not in (None, "")}
    return event


def parse_xml(body: bytes, received_at: datetime) -> ParsedEvent:
    root, tree = xml_to_tree(body)
    if root.lower() not in {"eventnotificationalert", "eventnotification"}:
        raise PayloadError(f"unsupported XML document <{root}>")
    event = extract(tree, received_at)
    event.event_text = body
    return event


def _json_event_type(tree: dict) -> str:
    """eventType, or the kind implied by the only event object (access terminals omit it)."""
    named = find_text(tree, "eventType")
    if named:
        return named
    if isinstance(tree.get("accesscontrollerevent"), dict):
        return EventType.ACCESS_CONTROLLER
    if isinstance(tree.get("anpr"), dict):
        return EventType.ANPR
    return ""


def parse_json(body: bytes, received_at: datetime) -> ParsedEvent:
    tree = json_to_tree(body)
    if isinstance(tree.get("eventnotificationalert"), dict):
        tree = tree["eventnotificationalert"]
    kind = _json_event_type(tree)
    if not kind:
        raise PayloadError("JSON event has no eventType")
    event = extract({**tree, "eventtype": kind}, received_at)
    event.event_text = body
    return event


def parse_document(body: bytes, content_type: str, received_at: datetime) -> ParsedEvent:
    """Parse an XML or JSON event document.

    The first byte decides, because cameras mislabel their bodies (text/plain,
    application/x-www-form-urlencoded, JSON sent as application/xml); the declared
    type decides only for bodies that start with neither.
    """
    kind = content_type.split(";")[0].strip().lower()
    first = body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if first in (b"{", b"["):
        return parse_json(body, received_at)
    if first == b"<":
        return parse_xml(body, received_at)
    if "json" in kind:
        return parse_json(body, received_at)
    if "xml" in kind or not kind:
        return parse_xml(body, received_at)
    raise PayloadError(f"unsupported content type {kind!r}")
