"""A staff token in a URL never reaches a log line, whichever server logs the request."""

from __future__ import annotations

import logging

import pytest

KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"


@pytest.mark.parametrize(
    "logger, message, args",
    [
        # uvicorn's access line and its WebSocket connection line
        (
            "uvicorn.access",
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:50312", "GET", f"/api/v1/events/stream?token={KEY}&kind=alert", "1.1", 101),
        ),
        (
            "uvicorn.error",
            '%s - "WebSocket %s" [accepted]',
            ("127.0.0.1:50312", f"/api/v1/events/stream?kind=alert&token={KEY}"),
        ),
        # gunicorn's access log formats a dict of atoms
        (
            "gunicorn.access",
            '%(h)s "%(r)s" %(s)s',
            {"h": "127.0.0.1", "r": f"GET /api/v1/alerts/live?token={KEY} HTTP/1.1", "s": "200"},
        ),
    ],
)
def test_the_token_is_scrubbed_and_the_rest_of_the_line_kept(logger, message, args):
    """A handler on the server's own logger: uvicorn's loggers do not propagate to root."""
    arguments = (args,) if isinstance(args, dict) else args
    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(record.getMessage())
    server_logger = logging.getLogger(logger)
    kept_level = server_logger.level
    server_logger.addHandler(handler)
    server_logger.setLevel(logging.INFO)
    try:
        server_logger.info(message, *arguments)
    finally:
        server_logger.removeHandler(handler)
        server_logger.setLevel(kept_level)
    [line] = lines
    assert KEY not in line and "token=[scrubbed]" in line and "127.0.0.1" in line
