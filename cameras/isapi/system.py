"""Device identity and the alarm output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import xml as isapi_xml

if TYPE_CHECKING:
    from .client import ResponseStatus


@dataclass(frozen=True)
class DeviceInfo:
    name: str
    model: str
    serial_number: str
    firmware_version: str
    mac_address: str
    device_type: str = ""


class SystemMixin:
    def device_info(self) -> DeviceInfo:
        """GET /ISAPI/System/deviceInfo: what the installer sees on the device's label."""
        root = self.get_xml("/ISAPI/System/deviceInfo")
        firmware = isapi_xml.text(root, "firmwareVersion")
        build = isapi_xml.text(root, "firmwareReleasedDate")
        return DeviceInfo(
            name=isapi_xml.text(root, "deviceName"),
            model=isapi_xml.text(root, "model"),
            serial_number=isapi_xml.text(root, "serialNumber"),
            firmware_version=f"{firmware} {build}".strip(),
            mac_address=isapi_xml.text(root, "macAddress").lower(),
            device_type=isapi_xml.text(root, "deviceType"),
        )

    def set_alarm_output(self, active: bool, output: int = 1) -> ResponseStatus:
        """Drive the alarm output (siren / strobe wired to it) high or low."""
        document = isapi_xml.build("IOPortData", {"outputState": "high" if active else "low"})
        return self.put_xml(f"/ISAPI/System/IO/outputs/{int(output)}/trigger", document)
