"""Seed 003's response envelope: ``{"status", "message", "data"}`` on success and failure."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response

from damanat.api import exception_handler as project_exception_handler

PASSED_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")


def ok(message: str, data: Any = None, code: int = status.HTTP_200_OK) -> Response:
    return Response({"status": True, "message": message, "data": data}, status=code)


def fail(
    message: str, code: int, errors: dict | None = None, headers: dict[str, str] | None = None
) -> Response:
    body = {"status": False, "message": message, "data": None}
    if errors:
        body["errors"] = errors
    return Response(body, status=code, headers=headers)


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for field, msgs in detail.items()
        }
    return {"non_field_errors": [str(m) for m in detail]}


def envelope_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Validation errors are 422 with the field at fault, as Laravel answers them."""
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()))[0]
        return fail(first, status.HTTP_422_UNPROCESSABLE_ENTITY, errors)
    if isinstance(exc, exceptions.NotAuthenticated):
        header = getattr(exc, "auth_header", None)
        exc = exceptions.NotAuthenticated("Unauthenticated.")
        exc.auth_header = header
    response = project_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    kept = {k: v for k, v in response.items() if k in PASSED_HEADERS}
    return fail(str(detail), response.status_code, headers=kept)
