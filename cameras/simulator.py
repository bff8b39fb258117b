"""Payloads as cameras send them, for simulate_event, tests and benchmarks."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from django.utils import timezone

from .choices import EventType

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
# A 1x1 JPEG, enough to exercise picture handling.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c"
    "1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc000"
    "0b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400"
    "b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c1"
    "1552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a63"
    "6465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6"
    "b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008"
    "010100003f00fbd3ffd9"
)


def local_time(moment: datetime | None = None) -> str:
    """Facility local time without offset, as most cameras write it."""
    return timezone.localtime(moment or timezone.now()).strftime("%Y-%m-%dT%H:%M:%S")


def region_event_xml(
    event_type: str, zone: str, target: str = "vehicle", moment: datetime | None = None, channel: int = 1
) -> bytes:
    target_xml = f"<detectionTarget>{target}</detectionTarget>" if target else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<EventNotificationAlert version="2.0" xmlns="{ISAPI_NS}">
  <deviceSerial>TEST-SIM</deviceSerial><channelID>{channel}</channelID>
  <triggerTime>{local_time(moment)}</triggerTime><eventType>{event_type}</eventType>
  <eventState>active</eventState><eventDescription>Simulated</eventDescription>
  <DetectionRegionList><DetectionRegionEntry>
    <regionID>{zone}</regionID>{target_xml}
  </DetectionRegionEntry></DetectionRegionList>
  <channelName>SimChannel</channelName><UUID>{uuid.uuid4()}</UUID>
</EventNotificationAlert>""".encode()


def access_controller_json(plate: str, moment: datetime | None = None) -> bytes:
    """The seed's AccessControllerEvent (plate in cardNo)."""
    stamp = timezone.localtime(moment or timezone.now()).isoformat(timespec="seconds")
    return json.dumps(
        {
            "eventType": EventType.ACCESS_CONTROLLER,
            "eventState": "active",
            "eventDescription": "Simulated ANPR event",
            "dateTime": stamp,
            "deviceSerial": "TEST-ANPR-SIM",
            "UUID": str(uuid.uuid4()),
            "AccessControllerEvent": {
                "deviceName": "Simulated ANPR camera",
                "majorEventType": 1,
                "subEventType": 1,
                "cardNo": plate,
                "userType": "normal",
                "name": "Test Vehicle",
                "employeeNoString": "EMP-TEST",
            },
        }
    ).encode()


def anpr_xml(
    plate: str, moment: datetime | None = None, direction: str = "forward", confidence: int = 92
) -> bytes:
    """Hikvision's own ANPR alarm, as LPR cameras push it."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<ipAddress>192.168.1.104</ipAddress><portNo>80</portNo><protocol>HTTP</protocol>
<macAddress>44:19:b6:00:00:01</macAddress><channelID>1</channelID>
<dateTime>{timezone.localtime(moment or timezone.now()).isoformat(timespec="seconds")}</dateTime>
<activePostCount>1</activePostCount><eventType>ANPR</eventType><eventState>active</eventState>
<eventDescription>ANPR</eventDescription><UUID>{uuid.uuid4()}</UUID>
<ANPR><country>SA</country><licensePlate>{plate}</licensePlate><line>1</line>
<direction>{direction}</direction><confidenceLevel>{confidence}</confidenceLevel>
<plateType>unknown</plateType><plateColor>white</plateColor>
<vehicleType>vehicle</vehicleType><detectDir>8</detectDir>
<vehicleInfo><index>1</index><vehicleType>sedan</vehicleType><color>white</color></vehicleInfo>
</ANPR></EventNotificationAlert>""".encode()


def multipart(
    document: bytes, document_name: str, content_type: str = "application/xml", pictures: int = 1
) -> tuple[bytes, str]:
    boundary = "----damanat" + uuid.uuid4().hex
    parts = [(document_name, content_type, document)]
    parts += [(f"licensePlatePicture{i}.jpg", "image/jpeg", TINY_JPEG) for i in range(pictures)]
    chunks = []
    for name, kind, data in parts:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def build(
    event: str,
    *,
    zone: str = "zone-A",
    target: str = "vehicle",
    plate: str = "ABC-1234",
    anpr_format: str = "json",
    with_picture: bool = False,
    moment: datetime | None = None,
) -> tuple[bytes, str]:
    """(body, content type) for one simulated push."""
    if event == "anpr":
        if anpr_format == "xml":
            body, kind = anpr_xml(plate, moment), "application/xml"
        else:
            body, kind = access_controller_json(plate, moment), "application/json"
        name = "anpr.xml" if anpr_format == "xml" else "AccessControllerEvent"
    else:
        body, kind = region_event_xml(event, zone, target, moment), "application/xml"
        name = f"{event}.xml"
    if with_picture:
        return multipart(body, name, kind)
    return body, kind
