"""Where a device pushes its events (HTTP hosts) and which events it pushes (triggers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import xml as isapi_xml

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from .client import ResponseStatus

HTTP = "HTTP"


@dataclass(frozen=True)
class HttpHost:
    """One HTTP notification slot. Devices never read the password back."""

    id: int
    url: str
    ip_address: str
    port: int
    parameter_format: str = "XML"
    protocol: str = "HTTP"
    addressing: str = "ipaddress"
    auth_method: str = "none"
    username: str = ""
    password: str = field(default="", repr=False, compare=False)

    # Fields read back as "" were not reported by the device (some firmware leaves them out).
    def agrees_with(self, wanted: HttpHost) -> bool:
        if (self.ip_address, self.port, self.url) != (wanted.ip_address, wanted.port, wanted.url):
            return False
        pairs = [
            (self.parameter_format, wanted.parameter_format),
            (self.protocol, wanted.protocol),
            (self.addressing, wanted.addressing),
            (self.auth_method, wanted.auth_method),
            (self.username, wanted.username),
        ]
        return all(found == "" or found.lower() == expected.lower() for found, expected in pairs)

    def to_xml(self) -> ET.Element:
        fields = [
            ("id", self.id),
            ("url", self.url),
            ("protocolType", self.protocol),
            ("parameterFormatType", self.parameter_format),
            ("addressingFormatType", self.addressing),
            ("ipAddress", self.ip_address),
            ("portNo", self.port),
            ("httpAuthenticationMethod", self.auth_method),
        ]
        if self.auth_method != "none":
            fields[-1:-1] = [("userName", self.username), ("password", self.password)]
        return isapi_xml.build("HttpHostNotification", fields)

    @classmethod
    def from_xml(cls, element: ET.Element) -> HttpHost:
        return cls(
            id=int(isapi_xml.text(element, "id", "0") or 0),
            url=isapi_xml.text(element, "url"),
            ip_address=isapi_xml.text(element, "ipAddress") or isapi_xml.text(element, "hostName"),
            port=int(isapi_xml.text(element, "portNo", "80") or 80),
            parameter_format=isapi_xml.text(element, "parameterFormatType"),
            protocol=isapi_xml.text(element, "protocolType"),
            addressing=isapi_xml.text(element, "addressingFormatType"),
            auth_method=isapi_xml.text(element, "httpAuthenticationMethod"),
            username=isapi_xml.text(element, "userName"),
        )


@dataclass(frozen=True)
class TriggerNotification:
    id: str
    method: str
    http_host_id: int | None = None
    recurrence: str = ""


@dataclass(frozen=True)
class EventTrigger:
    id: str
    event_type: str
    notifications: tuple[TriggerNotification, ...]
    extra: tuple[tuple[str, str], ...] = ()

    def own_notification(self, host_id: int) -> TriggerNotification | None:
        """Our entry, recognised by its id, or by method and host (firmware may drop either
        ``httpHostID`` or our id when it reads the trigger back)."""
        own_id = f"HTTP-{host_id}".lower()
        by_id = next((n for n in self.notifications if n.id.lower() == own_id), None)
        return by_id or next(
            (n for n in self.notifications if n.method.upper() == HTTP and n.http_host_id in (host_id, None)),
            None,
        )

    def notifies_host(self, host_id: int) -> bool:
        own = self.own_notification(host_id)
        return own is not None and own.method.upper() == HTTP and own.http_host_id in (host_id, None)

    def with_host(self, host_id: int) -> EventTrigger:
        """The trigger notifying ``host_id``: our entry repointed in place, or added once."""
        if self.notifies_host(host_id):
            return self
        own = self.own_notification(host_id)
        wanted = TriggerNotification(
            id=own.id if own else f"HTTP-{host_id}",
            method=HTTP,
            http_host_id=host_id,
            recurrence=(own.recurrence if own else "") or "beginning",
        )
        kept = tuple(n for n in self.notifications if n is not own)
        return EventTrigger(self.id, self.event_type, (*kept, wanted), self.extra)

    def to_xml(self) -> ET.Element:
        notifications = [("EventTriggerNotification", _notification_fields(n)) for n in self.notifications]
        return isapi_xml.build(
            "EventTrigger",
            [
                ("id", self.id),
                ("eventType", self.event_type),
                *self.extra,
                ("EventTriggerNotificationList", notifications),
            ],
        )

    @classmethod
    def from_xml(cls, element: ET.Element) -> EventTrigger:
        notifications = tuple(
            TriggerNotification(
                id=isapi_xml.text(n, "id"),
                method=isapi_xml.text(n, "notificationMethod"),
                http_host_id=_int_or_none(isapi_xml.text(n, "httpHostID")),
                recurrence=isapi_xml.text(n, "notificationRecurrence"),
            )
            for n in element.iterfind("EventTriggerNotificationList/EventTriggerNotification")
        )
        extra = tuple(
            (child.tag, (child.text or "").strip())
            for child in element
            if child.tag
            in ("eventDescription", "inputIOPortID", "dynVideoInputChannelID", "videoInputChannelID")
        )
        return cls(isapi_xml.text(element, "id"), isapi_xml.text(element, "eventType"), notifications, extra)


def _notification_fields(notification: TriggerNotification) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("id", notification.id), ("notificationMethod", notification.method)]
    if notification.recurrence:
        fields.append(("notificationRecurrence", notification.recurrence))
    if notification.http_host_id is not None:
        fields.append(("httpHostID", notification.http_host_id))
    return fields


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def trigger_id(event_type: str, channel: int = 1) -> str:
    return f"{event_type}-{channel}"


class EventsMixin:
    def http_hosts(self) -> list[HttpHost]:
        root = self.get_xml("/ISAPI/Event/notification/httpHosts")
        return [HttpHost.from_xml(e) for e in root.iterfind("HttpHostNotification")]

    def http_host(self, slot: int = 1) -> HttpHost | None:
        """The host in ``slot``, or None when the slot is empty."""
        return next((h for h in self.http_hosts() if h.id == slot and h.ip_address), None)

    def set_http_host(self, host: HttpHost) -> ResponseStatus:
        """Write one slot in place (PUT .../httpHosts/<id>): re-runs never add a host."""
        return self.put_xml(f"/ISAPI/Event/notification/httpHosts/{host.id}", host.to_xml())

    def event_trigger(self, event_type: str, channel: int = 1) -> EventTrigger:
        root = self.get_xml(f"/ISAPI/Event/triggers/{trigger_id(event_type, channel)}")
        return EventTrigger.from_xml(root)

    def set_event_trigger(self, trigger: EventTrigger, event_type: str, channel: int = 1) -> ResponseStatus:
        return self.put_xml(f"/ISAPI/Event/triggers/{trigger_id(event_type, channel)}", trigger.to_xml())

    def link_trigger(self, event_type: str, host_id: int = 1, channel: int = 1) -> bool:
        """Make the trigger notify the HTTP host, keeping its other notifications.

        Returns True when the device had to be changed."""
        current = self.event_trigger(event_type, channel)
        wanted = current.with_host(host_id)
        if wanted is current:
            return False
        self.set_event_trigger(wanted, event_type, channel)
        return True
