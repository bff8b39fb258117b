"""What the fake device's handler and its routes share: strict parsing as firmware does it,
the device's refusal, and the record of each request the tests read."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from defusedxml import ElementTree as SafeET


class Reject(Exception):  # noqa: N818 — a device answer, not a bug
    def __init__(self, error: str, message: str = "") -> None:
        self.error = error
        self.message = message  # the device's errorMsg, when firmware says more than the code
        super().__init__(error)


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: bytes
    authorized: bool
    headers: dict = field(default_factory=dict)

    @property
    def route(self) -> str:
        return urlsplit(self.path).path


def _strip(root):
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def strict_xml(body: bytes, root_tags: set[str], allowed: set[str], required: set[str] = frozenset()):
    """Parse like firmware does: broken XML is badXmlFormat; a wrong root, an unknown
    or a missing element is badXmlContent."""
    try:
        root = _strip(SafeET.fromstring(body))
    except Exception:  # noqa: BLE001 — any parse failure is the device's badXmlFormat
        raise Reject("badXmlFormat")
    children = [child.tag for child in root]
    if root.tag not in root_tags or set(children) - allowed or required - set(children):
        raise Reject("badXmlContent")
    if len(children) != len(set(children)):
        raise Reject("badXmlContent")
    return root


def strict_json(body: bytes, key: str) -> dict:
    try:
        document = json.loads(body)
    except ValueError:
        raise Reject("badJsonFormat")
    if not isinstance(document, dict) or not isinstance(document.get(key), dict | list):
        raise Reject("badJsonContent")
    return document[key]


def _text(root, tag: str) -> str:
    found = root.find(tag)
    return (found.text or "").strip() if found is not None else ""


def valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
