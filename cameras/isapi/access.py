"""The seed's UserInfo route: a plate registered as a person whose card number is the plate.

Some gate devices only match plates against their access-control user list; a
blocked plate is a user of type ``blackList``.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from . import errors

PAGE_SIZE = 30  # devices cap UserInfo searches at 30 per page
DELETE_POLLS = 20  # deleting every user runs in the background on the device
DELETE_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class PlateUser:
    employee_no: str
    name: str
    user_type: str  # normal / visitor / blackList
    card_no: str
    valid_from: str = ""  # ISAPI local time, e.g. 2026-01-01T00:00:00
    valid_until: str = ""

    def same_content(self, other: PlateUser) -> bool:
        return (self.name, self.user_type, self.card_no, self.valid_from, self.valid_until) == (
            other.name,
            other.user_type,
            other.card_no,
            other.valid_from,
            other.valid_until,
        )

    def to_json(self) -> dict:
        valid: dict = {"enable": bool(self.valid_from or self.valid_until)}
        if valid["enable"]:
            valid.update(
                beginTime=self.valid_from or "2000-01-01T00:00:00",
                endTime=self.valid_until or "2037-12-31T23:59:59",
            )
        return {
            "employeeNo": self.employee_no,
            "name": self.name,
            "userType": self.user_type,
            "Valid": valid,
            "cardNo": self.card_no,
        }

    @classmethod
    def from_json(cls, entry: dict) -> PlateUser:
        valid = entry.get("Valid") or {}
        enabled = bool(valid.get("enable"))
        return cls(
            employee_no=str(entry.get("employeeNo", "")),
            name=str(entry.get("name", "")),
            user_type=str(entry.get("userType", "normal")),
            card_no=str(entry.get("cardNo", "") or entry.get("employeeNo", "")),
            valid_from=str(valid.get("beginTime", "")) if enabled else "",
            valid_until=str(valid.get("endTime", "")) if enabled else "",
        )


class AccessControlMixin:
    def plate_users(self) -> list[PlateUser]:
        users: list[PlateUser] = []
        search_id = uuid.uuid4().hex
        while True:
            answer = self.send_json(
                "POST",
                "/ISAPI/AccessControl/UserInfo/Search",
                {
                    "UserInfoSearchCond": {
                        "searchID": search_id,
                        "searchResultPosition": len(users),
                        "maxResults": PAGE_SIZE,
                    }
                },
            )
            result = answer.get("UserInfoSearch", {})
            page = [PlateUser.from_json(u) for u in result.get("UserInfo", []) or []]
            users.extend(page)
            if result.get("responseStatusStrg") != "MORE" or not page:
                return users

    def save_plate_user(self, user: PlateUser) -> None:
        """SetUp adds the user or replaces the one with the same employeeNo."""
        self.send_json("PUT", "/ISAPI/AccessControl/UserInfo/SetUp", {"UserInfo": user.to_json()})

    def delete_plate_users(self, employee_nos: list[str]) -> None:
        for start in range(0, len(employee_nos), PAGE_SIZE):
            batch = [{"employeeNo": n} for n in employee_nos[start : start + PAGE_SIZE]]
            self.send_json(
                "PUT", "/ISAPI/AccessControl/UserInfo/Delete", {"UserInfoDelCond": {"EmployeeNoList": batch}}
            )

    def delete_all_plate_users(self) -> None:
        """Delete every user, then wait for the device to finish (it works in the background)."""
        self.send_json(
            "PUT", "/ISAPI/AccessControl/UserInfoDetail/Delete", {"UserInfoDetail": {"mode": "all"}}
        )
        for _ in range(DELETE_POLLS):
            answer = self.get_json("/ISAPI/AccessControl/UserInfoDetail/DeleteProcess")
            status = answer.get("UserInfoDetailDeleteProcess", {}).get("status", "")
            if status == "success":
                return
            if status != "processing":
                raise errors.DeviceError(
                    f"{self.label}: deleting all users ended {status or 'unknown'}",
                    device=self.label,
                    path="/ISAPI/AccessControl/UserInfoDetail",
                )
            time.sleep(DELETE_POLL_SECONDS)
        raise errors.DeviceTimeout(
            f"{self.label}: deleting all users did not finish",
            device=self.label,
            path="/ISAPI/AccessControl/UserInfoDetail",
        )
