"""Shared API plumbing: an exception handler that never leaks a 500 page."""
from __future__ import annotations

import logging

from django.db import DatabaseError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    if isinstance(exc, DatabaseError):
        logger.error("database unavailable: %s", type(exc).__name__)
        return Response({"detail": "Database unavailable, retry later."},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE)
    logger.exception("unhandled API error")
    return Response({"detail": "Internal error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
