"""A namespace-free view of a payload: XML and JSON both become nested dicts.

Real devices send ISAPI XML in many namespaces (hikvision.com ver10/ver20, isapi.org,
psialliance, OEM ones, none) and JSON with the same element names. Reducing both to
dicts keyed by lower-cased local names lets one extractor read every variant.
"""
from __future__ import annotations

import json
from typing import Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException


class PayloadError(ValueError):
    """The payload cannot be read; the message says why, for the stored event."""


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _element_to_tree(element) -> Any:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    node: dict[str, Any] = {}
    for child in children:
        key = local_name(child.tag).lower()
        value = _element_to_tree(child)
        if key in node:
            if not isinstance(node[key], list) or not node.get(f"__list_{key}"):
                node[key] = [node[key]]
                node[f"__list_{key}"] = True
            node[key].append(value)
        else:
            node[key] = value
    return node


def xml_to_tree(body: bytes) -> tuple[str, dict]:
    """Parse XML safely (no DTDs, entities or external references); return root name and tree."""
    text = body.lstrip()
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:].lstrip()
    if not text:
        raise PayloadError("empty XML body")
    try:
        root = SafeET.fromstring(text, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise PayloadError(f"forbidden XML construct: {type(exc).__name__}") from exc
    except SafeET.ParseError as exc:
        raise PayloadError(f"malformed XML: {exc}") from exc
    tree = _element_to_tree(root)
    if not isinstance(tree, dict):
        tree = {}
    return local_name(root.tag), tree


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def json_to_tree(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PayloadError("JSON body is not valid UTF-8") from exc
    except ValueError as exc:
        raise PayloadError(f"malformed JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PayloadError(f"JSON body must be an object, got {type(data).__name__}")
    return _lower_keys(data)


def find(tree: Any, *names: str) -> Any:
    """First value under any of ``names`` (lower-case), searched breadth-first."""
    wanted = [n.lower() for n in names]
    queue = [tree]
    while queue:
        node = queue.pop(0)
        if isinstance(node, dict):
            for name in wanted:
                value = node.get(name)
                if value not in (None, "", [], {}):
                    return value
            queue.extend(v for k, v in node.items() if not k.startswith("__list_"))
        elif isinstance(node, list):
            queue.extend(node)
    return None


def find_text(tree: Any, *names: str) -> str:
    value = find(tree, *names)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) or value is None:
        return ""
    return str(value).strip()
