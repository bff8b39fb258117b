"""What one outbound attempt returns or raises, whatever the transport."""

from __future__ import annotations

from dataclasses import dataclass


class TransportError(Exception):
    """``permanent``: retrying cannot help (4xx, bad configuration); otherwise retry later."""

    def __init__(self, message: str, *, permanent: bool = False, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status_code = status_code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Result:
    status_code: int | None = None
    detail: str = ""
    duration_ms: int = 0
