"""multipart/form-data pushes: one event document next to JPEG pictures.

The event part may be named after the event type, ``anpr.xml``, ``MoveDetection.xml``
or anything else; it is recognised by its content type or by its first byte.
Split by hand rather than with the email package: it is ten times faster, and camera
bodies are plain (no nested multiparts, no header folding worth supporting).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

from .events import ParsedEvent, Picture, parse_document
from .tree import PayloadError, storable_text

DOCUMENT_TYPES = ("xml", "json")
PICTURE_TYPES = ("image/jpeg", "image/jpg", "image/pjpeg", "image/png", "application/octet-stream")
PICTURE_MAGIC = (b"\xff\xd8", b"\x89P")
_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)
_PARAM = re.compile(r'(?:^|;)\s*(name|filename)\s*=\s*(?:"([^"]*)"|([^;\s]*))', re.IGNORECASE)
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


@dataclass
class Part:
    name: str
    content_type: str
    payload: bytes


def _boundary(content_type: str) -> bytes:
    found = _BOUNDARY.search(content_type)
    if not found:
        raise PayloadError("multipart body without a boundary")
    return (found.group(1) or found.group(2)).encode("latin-1", "replace")


_FIRST_LINE_BOUNDARY = re.compile(rb"\A\s*--([!-~]{1,70})\r?\n")


def sniff_boundary(body: bytes) -> str:
    """The boundary of a body that opens like a multipart one, with part headers after it."""
    found = _FIRST_LINE_BOUNDARY.match(body[:200])
    if not found or b"content-disposition" not in body[:600].lower():
        return ""
    return found.group(1).decode("ascii")


def _delimiters(body: bytes, delimiter: bytes) -> list[int]:
    """Offsets of ``--boundary`` lines: at the start of the body or of a line."""
    found, start = [], 0
    while (at := body.find(delimiter, start)) >= 0:
        if at == 0 or body[at - 1 : at] == b"\n":
            found.append(at)
        start = at + len(delimiter)
    return found


def _headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


def _part(chunk: bytes) -> Part | None:
    split = _BLANK_LINE.search(chunk)
    if split is None:
        return None
    headers = _headers(chunk[: split.start()])
    payload = chunk[split.end() :]
    if headers.get("content-transfer-encoding", "").lower() == "base64":
        try:
            payload = base64.b64decode(payload)
        except (binascii.Error, ValueError):
            return None
    params = {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(headers.get("content-disposition", ""))
    }
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    name = params.get("name") or params.get("filename") or ""
    return Part(storable_text(name), storable_text(kind), payload)


def split_parts(body: bytes, content_type: str) -> list[Part]:
    delimiter = b"--" + _boundary(content_type)
    offsets = _delimiters(body, delimiter)
    if not offsets:
        raise PayloadError("multipart body could not be split")
    parts = []
    for start, end in zip(offsets, [*offsets[1:], len(body)], strict=True):
        chunk = body[start + len(delimiter) : end]
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        line_end = chunk.find(b"\n")
        # The line break before the next delimiter belongs to the delimiter (so does the
        # last one of a stream cut before its closing delimiter).
        chunk = chunk[line_end + 1 :] if line_end >= 0 else b""
        chunk = chunk.removesuffix(b"\n").removesuffix(b"\r")
        part = _part(chunk)
        if part is not None:
            parts.append(part)
    return parts


def _is_document(part: Part) -> bool:
    if any(kind in part.content_type for kind in DOCUMENT_TYPES):
        return True
    # Parts typed text/plain or application/octet-stream: recognised by their first byte.
    return not part.content_type.startswith("image/") and part.payload.lstrip()[:1] in (b"<", b"{")


def _is_picture(part: Part) -> bool:
    return part.content_type in PICTURE_TYPES and part.payload[:2] in PICTURE_MAGIC


def parse_multipart(body: bytes, content_type: str, received_at: datetime) -> ParsedEvent:
    parts = split_parts(body, content_type)
    documents = [p for p in parts if _is_document(p)]
    if not documents:
        raise PayloadError("multipart push has no XML or JSON event part")
    document = documents[0]
    event = parse_document(document.payload, document.content_type, received_at)
    event.pictures = [
        Picture(name=p.name, content_type=p.content_type, data=p.payload)
        for p in parts
        if p is not document and _is_picture(p)
    ]
    return event
