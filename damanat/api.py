"""Shared API plumbing: an exception handler that never leaks a 500 page."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, DataError, IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    if isinstance(exc, DatabaseError):
        set_rollback()
    if isinstance(exc, DataError):
        # A value the column cannot hold (too long, out of range) that validation let through.
        return Response(
            {"detail": "A value is too long or out of range for its field."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "This conflicts with an existing record."}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DatabaseError):
        logger.error("database unavailable: %s", type(exc).__name__)
        return Response(
            {"detail": "Database unavailable, retry later."}, status=status.HTTP_503_SERVICE_UNAVAILABLE
        )
    logger.exception("unhandled API error")
    return Response({"detail": "Internal error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
