"""Parsers for camera pushes. ``parse_push`` is the one entry point."""

from __future__ import annotations

from datetime import datetime

from .events import ParsedEvent, Picture, parse_document
from .multipart import parse_multipart, sniff_boundary
from .tree import PayloadError

__all__ = ["ParsedEvent", "PayloadError", "Picture", "parse_push"]


def parse_push(body: bytes, content_type: str, received_at: datetime) -> ParsedEvent:
    if not body.strip():
        raise PayloadError("empty body")
    first = body.lstrip()[:1]
    if content_type.lower().startswith("multipart/") and first in (b"<", b"{"):
        # Declared multipart, sent as a bare document (seen on misconfigured firmware).
        return parse_document(body, "", received_at)
    if content_type.lower().startswith("multipart/"):
        return parse_multipart(body, content_type, received_at)
    boundary = sniff_boundary(body)
    if boundary:
        # A multipart body under a non-multipart content type.
        return parse_multipart(body, f"multipart/form-data; boundary={boundary}", received_at)
    return parse_document(body, content_type, received_at)
