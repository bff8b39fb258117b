"""Plate recognition and the device's own plate lists (allow list / block list).

Hikvision ANPR cameras keep ``whiteList`` and ``blackList`` entries so the gate can
act on a read even while the backend is unreachable.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import xml as isapi_xml

if TYPE_CHECKING:
    from .client import ResponseStatus

ALLOW = "whiteList"
BLOCK = "blackList"
PAGE_SIZE = 100
# Firmware takes plate-list writes in one of two forms; a device answers the other one
# methodNotAllowed (or notSupport).
BATCH, RECORD = "batch", "record"
WRITE_FORMS = {BATCH: "licensePlateAuditData", RECORD: "licensePlateAuditData/record"}


@dataclass(frozen=True)
class PlateEntry:
    plate: str
    list_type: str
    valid_from: str = ""  # YYYY-MM-DD, "" = no bound
    valid_until: str = ""
    id: str = ""

    def same_content(self, other: PlateEntry) -> bool:
        return (self.list_type, self.valid_from, self.valid_until) == (
            other.list_type,
            other.valid_from,
            other.valid_until,
        )

    def to_json(self) -> dict:
        entry = {
            "LicensePlate": self.plate,
            "listType": self.list_type,
            "effectiveStartDate": self.valid_from,
            "effectiveTime": self.valid_until,
        }
        if self.id:
            entry["id"] = self.id
        return entry

    @classmethod
    def from_json(cls, entry: dict) -> PlateEntry:
        return cls(
            plate=str(entry.get("LicensePlate", "")),
            list_type=str(entry.get("listType", "")),
            valid_from=str(entry.get("effectiveStartDate", "") or ""),
            valid_until=str(entry.get("effectiveTime", "") or ""),
            id=str(entry.get("id", "")),
        )


class TrafficMixin:
    def enable_plate_recognition(self, channel: int = 1) -> ResponseStatus:
        document = isapi_xml.build("VehicleDetectCap", {"enabled": True, "recognitionMode": "plate"})
        return self.put_xml(f"/ISAPI/Traffic/channels/{int(channel)}/vehicleDetect", document)

    def plate_entries(self, channel: int = 1) -> list[PlateEntry]:
        """Every entry on the device's plate lists, page by page."""
        entries: list[PlateEntry] = []
        search_id = uuid.uuid4().hex
        while True:
            answer = self.send_json(
                "POST",
                f"/ISAPI/Traffic/channels/{int(channel)}/searchLPListAudit",
                {
                    "LPSearchCond": {
                        "searchID": search_id,
                        "searchResultPosition": len(entries),
                        "maxResults": PAGE_SIZE,
                    }
                },
            )
            result = answer.get("LPListAuditSearchResult", {})
            page = [PlateEntry.from_json(e) for e in result.get("LicensePlateInfoList", []) or []]
            entries.extend(page)
            if result.get("responseStatusStrg") != "MORE" or not page:
                return entries

    def save_plate_entries(self, entries: list[PlateEntry], channel: int = 1, form: str = BATCH) -> None:
        """Add entries (no id) or update them in place (with the device's id), in the write
        form the device takes (``BATCH`` or ``RECORD``; see ``WRITE_FORMS``)."""
        path = f"/ISAPI/Traffic/channels/{int(channel)}/{WRITE_FORMS[form]}"
        for start in range(0, len(entries), PAGE_SIZE):
            batch = [e.to_json() for e in entries[start : start + PAGE_SIZE]]
            self.send_json("PUT", path, {"LicensePlateInfoList": batch})

    def delete_plate_entries(self, ids: list[str], channel: int = 1) -> None:
        for start in range(0, len(ids), PAGE_SIZE):
            self.send_json(
                "PUT",
                f"/ISAPI/Traffic/channels/{int(channel)}/DelLicensePlateAuditData",
                {"id": list(ids[start : start + PAGE_SIZE])},
            )

    def delete_all_plate_entries(self, channel: int = 1) -> None:
        self.send_json(
            "PUT",
            f"/ISAPI/Traffic/channels/{int(channel)}/DelLicensePlateAuditData",
            {"deleteAllEnabled": True},
        )
