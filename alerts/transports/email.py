"""Email through Django's mail backend: subject, text and HTML bodies from templates.

The templates ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` are
rendered in the target's language with the payload as context.
"""

from __future__ import annotations

import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from damanat.outbox.errors import Result, TransportError

from .base import Destination

DEFAULT_TEMPLATE = "alerts/messages/alert"
PERMANENT_SMTP = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


@dataclass(frozen=True)
class EmailTarget:
    recipients: tuple[str, ...]
    language: str = "en"
    template: str = DEFAULT_TEMPLATE
    from_email: str = ""


def render(target: EmailTarget, payload: dict) -> tuple[str, str, str]:
    with translation.override(target.language):
        subject = render_to_string(f"{target.template}_subject.txt", payload)
        text = render_to_string(f"{target.template}.txt", payload)
        html = render_to_string(f"{target.template}.html", payload)
    return " ".join(subject.split())[:250], text, html


def send(target: EmailTarget, payload: dict, event_id: str) -> Result:
    if not target.recipients:
        raise TransportError("no recipients", permanent=True)
    subject, text, html = render(target, payload)
    message = EmailMultiAlternatives(
        subject,
        text,
        target.from_email or settings.DEFAULT_FROM_EMAIL,
        list(target.recipients),
        headers={"X-Damanat-Event-Id": event_id, "Content-Language": target.language},
    )
    message.attach_alternative(html, "text/html")
    started = time.monotonic()
    try:
        message.send(fail_silently=False)
    except PERMANENT_SMTP as exc:
        raise TransportError(f"mail refused: {exc}", permanent=True)
    except (OSError, smtplib.SMTPException) as exc:
        raise TransportError(f"mail server unavailable: {exc}")
    return Result(
        None, f"sent to {len(target.recipients)} recipient(s)", int((time.monotonic() - started) * 1000)
    )


class EmailTransport:
    kind = "email"
    send = staticmethod(send)

    @staticmethod
    def target(destination: Destination, subject: str) -> EmailTarget:
        return EmailTarget(recipients=destination.recipients, language=destination.language)
