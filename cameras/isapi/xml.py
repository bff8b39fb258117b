"""Reading and writing ISAPI XML.

Devices answer in the ISAPI 2.0 namespace, the older Hikvision 1.0/2.0 namespaces
or none at all; readers strip namespaces so one lookup works for all of them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 — only used to build documents
from collections.abc import Iterable
from typing import Any

from defusedxml import ElementTree as SafeET

NAMESPACE = "http://www.isapi.org/ver20/XMLSchema"


def parse(body: bytes | str) -> ET.Element:
    """Parse untrusted XML (defusedxml) and drop namespaces from every tag."""
    root = SafeET.fromstring(body)
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def text(element: ET.Element | None, path: str, default: str = "") -> str:
    if element is None:
        return default
    found = element.find(path)
    if found is None or found.text is None:
        return default
    return found.text.strip()


def build(root_tag: str, fields: dict[str, Any] | Iterable[tuple[str, Any]]) -> ET.Element:
    """An element with the ISAPI 2.0 namespace; nested dicts and lists become children."""
    root = ET.Element(root_tag, {"version": "2.0", "xmlns": NAMESPACE})
    _fill(root, fields)
    return root


def _fill(parent: ET.Element, fields: dict[str, Any] | Iterable[tuple[str, Any]]) -> None:
    items = fields.items() if isinstance(fields, dict) else fields
    for tag, value in items:
        if value is None:
            continue
        child = ET.SubElement(parent, tag)
        if isinstance(value, dict | list):
            _fill(child, value)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        else:
            child.text = str(value)


def serialize(element: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")
