"""A namespace-free view of a payload: XML and JSON both become nested dicts.

Real devices send ISAPI XML in many namespaces (hikvision.com ver10/ver20, isapi.org,
psialliance, OEM ones, none) and JSON with the same element names. Reducing both to
dicts keyed by lower-cased local names lets one extractor read every variant.
"""

from __future__ import annotations

import json
from collections import deque
from typing import TYPE_CHECKING, Any

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


class PayloadError(ValueError):
    """The payload cannot be read; the message says why, for the stored event."""


# ISAPI documents are about six levels deep. A bound well above that keeps the recursive
# walks below from hitting Python's recursion limit (a 503, so the camera resent forever).
MAX_DEPTH = 64
TOO_DEEP = f"payload nested deeper than {MAX_DEPTH} levels"


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _element_to_tree(element: Element, depth: int = 0) -> Any:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    if depth >= MAX_DEPTH:
        raise PayloadError(TOO_DEEP)
    node: dict[str, Any] = {}
    for child in children:
        key = local_name(child.tag).lower()
        value = _element_to_tree(child, depth + 1)
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


def storable_text(text: str) -> str:
    """Text PostgreSQL accepts: JSON may carry \\u0000 and lone surrogates, text columns may not."""
    if text.isascii() and "\x00" not in text:
        return text
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _lower_keys(value: Any, depth: int = 0) -> Any:
    if isinstance(value, dict | list) and depth >= MAX_DEPTH:
        raise PayloadError(TOO_DEEP)
    if isinstance(value, dict):
        return {storable_text(str(k)).lower(): _lower_keys(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v, depth + 1) for v in value]
    if isinstance(value, str):
        return storable_text(value)
    return value


def json_to_tree(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PayloadError("JSON body is not valid UTF-8") from exc
    except ValueError as exc:
        raise PayloadError(f"malformed JSON: {exc}") from exc
    except RecursionError as exc:
        raise PayloadError(TOO_DEEP) from exc
    if not isinstance(data, dict):
        raise PayloadError(f"JSON body must be an object, got {type(data).__name__}")
    return _lower_keys(data)


EMPTY = (None, "", [], {})


class Fields:
    """Every name in a payload tree mapped to its first non-empty value, breadth-first.

    Built in one pass so the extractor's two dozen look-ups are dictionary hits,
    not a walk of the tree each (the webhook's hottest path).
    """

    def __init__(self, tree: Any) -> None:
        self._first: dict[str, Any] = {}
        queue = deque([tree])
        while queue:
            node = queue.popleft()
            if isinstance(node, dict):
                self._add(node, queue)
            elif isinstance(node, list):
                queue.extend(node)

    def _add(self, node: dict, queue: deque) -> None:
        for key, value in node.items():
            if key.startswith("__list_"):
                continue
            if key not in self._first and value not in EMPTY:
                self._first[key] = value
            if isinstance(value, dict | list):
                queue.append(value)

    def node(self, *names: str) -> Any:
        """The value of the first of ``names`` present (names are tried in order)."""
        for name in names:
            value = self._first.get(name.lower())
            if value is not None:
                return value
        return None

    def text(self, *names: str) -> str:
        value = self.node(*names)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict) or value is None:
            return ""
        return str(value).strip()

    def sub(self, *names: str) -> Fields:
        """The fields below the first of ``names`` (empty when it is not an element)."""
        value = self.node(*names)
        return Fields(value if isinstance(value, dict | list) else {})

    def __bool__(self) -> bool:
        return bool(self._first)
