"""Parsers for camera pushes. ``parse_push`` is the one entry point."""
from __future__ import annotations

from datetime import datetime

from .events import ParsedEvent, Picture, parse_document
from .multipart import parse_multipart
from .tree import PayloadError

__all__ = ["ParsedEvent", "PayloadError", "Picture", "parse_push"]


def parse_push(body: bytes, content_type: str, received_at: datetime) -> ParsedEvent:
    if not body.strip():
        raise PayloadError("empty body")
    if content_type.lower().startswith("multipart/"):
        return parse_multipart(body, content_type, received_at)
    return parse_document(body, content_type, received_at)
