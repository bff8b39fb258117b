"""Tokens never reach a log line: ``?token=…`` in a logged URL is replaced before any handler sees it.

The WebSocket stream still accepts ``?token=`` from clients that cannot send it otherwise,
and servers log the URL they were asked for (uvicorn's access and connection lines,
gunicorn's access log, Django's). Filters on those loggers rewrite the message itself.
"""

from __future__ import annotations

import logging
import re

SECRET_PARAMETER = re.compile(r"(?i)([?&](?:token|access_token|auth_token)=)[^&\s\"']*")
SCRUBBED = r"\1[scrubbed]"
# Loggers of the servers that print request URLs; root's handlers get the filter too.
URL_LOGGERS = (
    "uvicorn.access",
    "uvicorn.error",
    "gunicorn.access",
    "gunicorn.error",
    "django.request",
    "django.server",
    "django.channels.server",
)


def scrub(text: str) -> str:
    return SECRET_PARAMETER.sub(SCRUBBED, text)


class ScrubTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    scrubber = ScrubTokens()
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubTokens) for f in logger.filters):
            logger.addFilter(scrubber)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, ScrubTokens) for f in handler.filters):
            handler.addFilter(scrubber)
