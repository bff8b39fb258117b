"""multipart/form-data pushes: one event document next to JPEG pictures.

The event part may be named after the event type, ``anpr.xml``, ``MoveDetection.xml``
or anything else; it is recognised by its content type or by its first byte.
"""
from __future__ import annotations

from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP

from .events import ParsedEvent, Picture, parse_document
from .tree import PayloadError

DOCUMENT_TYPES = ("xml", "json")
PICTURE_TYPES = ("image/jpeg", "image/jpg", "image/pjpeg", "image/png", "application/octet-stream")


def split_parts(body: bytes, content_type: str) -> list[tuple[str, str, bytes]]:
    if "boundary=" not in content_type:
        raise PayloadError("multipart body without a boundary")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise PayloadError("multipart body could not be split")
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition") or part.get_filename() or ""
        payload = part.get_payload(decode=True) or b""
        parts.append((str(name), part.get_content_type().lower(), payload))
    return parts


def _is_document(content_type: str, payload: bytes) -> bool:
    if any(kind in content_type for kind in DOCUMENT_TYPES):
        return True
    # Parts typed text/plain or application/octet-stream: recognised by their first byte.
    return not content_type.startswith("image/") and payload.lstrip()[:1] in (b"<", b"{")


def parse_multipart(body: bytes, content_type: str, received_at: datetime) -> ParsedEvent:
    parts = split_parts(body, content_type)
    documents = [p for p in parts if _is_document(p[1], p[2])]
    if not documents:
        raise PayloadError("multipart push has no XML or JSON event part")
    document = documents[0]
    event = parse_document(document[2], document[1], received_at)
    event.pictures = [Picture(name=name, content_type=kind, data=data)
                      for name, kind, data in (p for p in parts if p is not document)
                      if kind in PICTURE_TYPES and data[:2] in (b"\xff\xd8", b"\x89P")]
    return event
