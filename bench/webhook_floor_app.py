"""The webhook's floor: the production WSGI stack with less and less of the push's work.

``bench/webhook_load.py --floor MODE`` serves this module instead of damanat.wsgi, to
measure what is left when the work is taken away:

- ``nothing``: gunicorn, the push handler, Django and the DRF view read the body and
  answer; nothing is parsed or stored.
- ``insert``: the same, plus the one prepared INSERT of a row built once at start
  (every push gets its own dedup key): the database round trip with no parsing, no
  picture and no row building.

The difference between these and the full run is what parsing, building the row and
writing pictures cost under load.
"""

from __future__ import annotations

import copy
import itertools
import os
import uuid
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from cameras import event_rows, senders  # noqa: E402
from cameras.api.webhook import CameraWebhookView  # noqa: E402
from cameras.ingest import Push, PushResult, _new_event  # noqa: E402
from cameras.parsing import parse_push  # noqa: E402
from damanat.wsgi import application  # noqa: E402, F401 — what gunicorn serves

SAMPLE = Path(__file__).resolve().parent.parent / "cameras/tests/fixtures/isapi_ver20_fielddetection.xml"
SOURCE = "192.168.1.101"
_keys = itertools.count()
_run = uuid.uuid4().hex
_template = []


def _row():
    if not _template:
        body = SAMPLE.read_bytes()
        camera, _ = senders.lookup(SOURCE)
        parsed = parse_push(body, "application/xml", timezone.now())
        _template.append(_new_event(Push(body, "application/xml", SOURCE), parsed, camera))
    event = copy.copy(_template[0])
    event.__dict__ = dict(_template[0].__dict__)
    event.dedup_key = f"floor-{_run}-{os.getpid()}-{next(_keys)}"
    event.received_at = timezone.now()
    return event


def _answer_only(self, raw):
    raw.read()
    return PushResult("accepted", 1, "floor", "")


def _insert_only(self, raw):
    raw.read()
    event = _row()
    event_rows.insert_event(event)
    return PushResult("accepted", event.pk, event.event_type, "")


CameraWebhookView.receive = {"nothing": _answer_only, "insert": _insert_only}[os.environ["WEBHOOK_FLOOR"]]
