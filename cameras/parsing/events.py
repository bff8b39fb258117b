"""Turn one camera push (XML, JSON or multipart) into a ParsedEvent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cameras.choices import EventType, canonical_event_type

from .times import parse_camera_time
from .tree import Fields, PayloadError, json_to_tree, xml_to_tree

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


MAX_CHANNEL = 2**31 - 1  # the column is a PostgreSQL integer
# The narrowest column a plate reaches (passages, visits, the registry).
PLATE_MAX_LENGTH = 20


class Bounds:
    """Cuts camera-supplied text to its column and remembers which elements it cut.

    A value longer than its column would fail the INSERT or a handler with DataError;
    it is kept truncated instead and named in the event's ``extra["truncated"]``.
    """

    def __init__(self) -> None:
        self.cut: list[str] = []

    def __call__(self, name: str, text: str, limit: int) -> str:
        if len(text) <= limit:
            return text
        self.cut.append(name)
        return text[:limit]


def _int_or_none(text: str) -> int | None:
    """A channel number, or None for anything a column could not hold."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= MAX_CHANNEL else None


def _confidence(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 100 else None


def _plate_fields(fields: Fields, bound: Bounds) -> dict:
    anpr, access = fields.node("anpr"), fields.node("accesscontrollerevent")
    if not isinstance(anpr, dict) and not isinstance(access, dict):
        return {}
    source = fields.sub("anpr") if isinstance(anpr, dict) else fields.sub("accesscontrollerevent")
    vehicle = source.sub("vehicleInfo")
    read = source.text("licensePlate", "plateNumber", "cardNo")
    return {
        "plate": ""
        if read.lower().replace(" ", "") in NO_PLATE
        else bound("licensePlate", read, PLATE_MAX_LENGTH),
        "original_plate": bound("originalLicensePlate", source.text("originalLicensePlate") or read, 64),
        "plate_confidence": _confidence(source.text("confidenceLevel", "confidence")),
        "direction": bound("direction", source.text("direction", "vehicleDirection"), 20),
        "vehicle_type": bound("vehicleType", vehicle.text("vehicleType") or source.text("vehicleType"), 30),
        "vehicle_color": bound("color", vehicle.text("color", "vehicleColor"), 30),
        "plate_list": bound(
            "vehicleListName", source.text("vehicleListName", "listType", "plateListType", "userType"), 30
        ),
    }


def _picture_urls(fields: Fields) -> list[str]:
    urls = []
    for name in ("pictureURL", "bkgUrl", "picUrl"):
        value = fields.text(name)
        if value.startswith(("http://", "https://")):
            urls.append(value)
    return urls


def _access_extra(fields: Fields) -> dict:
    access = fields.node("accesscontrollerevent")
    if not isinstance(access, dict):
        return {}
    return {key: access[key.lower()] for key in ACCESS_EXTRA if access.get(key.lower()) not in (None, "")}


def _vehicle_brand(fields: Fields) -> str:
    """The make a plate camera recognised (Hikvision sends its logo code)."""
    if not isinstance(fields.node("anpr"), dict):
        return ""
    return fields.text("vehicleLogoRecog", "vehicleBrand")


ACCESS_EXTRA = ("name", "employeeNoString", "userType", "majorEventType", "subEventType")


def extract(tree: dict, received_at: datetime) -> ParsedEvent:
    fields, bound = Fields(tree), Bounds()
    region = fields.sub("DetectionRegionEntry", "regionEntry") or fields
    trigger_time, flagged = parse_camera_time(
        fields.text("triggerTime", "dateTime", "absTime", "time"), received_at
    )
    event = ParsedEvent(
        event_type=bound("eventType", canonical_event_type(fields.text("eventType")), 64),
        event_state=bound("eventState", fields.text("eventState").lower(), 10),
        event_description=bound("eventDescription", fields.text("eventDescription"), 200),
        channel_id=_int_or_none(fields.text("channelID", "dynChannelID", "channel")),
        channel_name=bound("channelName", fields.text("channelName"), 100),
        region_id=bound("regionID", region.text("regionID"), 100),
        detection_target=bound("detectionTarget", region.text("detectionTarget", "targetType").lower(), 20),
        trigger_time=trigger_time,
        trigger_time_flagged=flagged,
        device_uuid=bound("UUID", fields.text("UUID"), 100),
        device_serial=bound("deviceSerial", fields.text("deviceSerial", "serialNumber", "deviceID"), 100),
        device_mac=bound("macAddress", fields.text("macAddress"), 32),
        device_ip=bound("ipAddress", fields.text("ipAddress"), 64),
        picture_urls=_picture_urls(fields),
        **_plate_fields(fields, bound),
    )
    if event.event_type == EventType.ACCESS_CONTROLLER:
        event.extra = _access_extra(fields)
    brand = _vehicle_brand(fields)
    if brand:
        event.extra["vehicle_brand"] = bound("vehicleLogoRecog", brand, 30)
    if bound.cut:
        event.extra["truncated"] = bound.cut
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
    named = str(tree.get("eventtype") or "").strip() or Fields(tree).text("eventType")
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
