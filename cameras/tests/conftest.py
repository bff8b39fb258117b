"""Fixtures for the camera pipeline tests: payload files and cameras in known states."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cameras.models import Camera

FIXTURES = Path(__file__).parent / "fixtures"
WEBHOOK = "/api/v1/events/camera"
RIYADH = ZoneInfo("Asia/Riyadh")
# The fixtures' events happen on 2026-02-20; received a little later the same day.
FIXTURE_DAY = datetime(2026, 2, 20, 12, 0, tzinfo=RIYADH)
MULTIPART_BOUNDARIES = {
    "multipart_named_event_type.bin": "AaB03x",
}


def payload(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def multipart_type(name: str) -> str:
    return f"multipart/form-data; boundary={MULTIPART_BOUNDARIES.get(name, 'MIME_boundary')}"


def make_camera(code: str = "CAM-03", ip: str = "192.168.1.103", **fields) -> Camera:
    fields.setdefault("role", Camera.Role.CRITICAL_ZONE)
    return Camera.objects.create(code=code, ip_address=ip, **fields)


@pytest.fixture
def camera(db) -> Camera:
    return make_camera()


@pytest.fixture
def entry_camera(db) -> Camera:
    return make_camera("CAM-ENTRY", "192.168.1.104", role=Camera.Role.ENTRY_GATE)


@pytest.fixture
def camera_with_push_credentials(db) -> Camera:
    return make_camera(
        "CAM-02",
        "192.168.1.102",
        role=Camera.Role.INDOOR,
        push_username="pusher",
        push_password="S3cret-push-Pa55",
    )


@pytest.fixture
def no_handlers(monkeypatch):
    """An empty handler registry, whatever other apps registered."""
    from cameras import dispatch

    monkeypatch.setattr(dispatch, "_handlers", {})


@pytest.fixture
def at_fixture_day(monkeypatch):
    """Receive pushes on the fixtures' day, so their camera times are not absurd."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: FIXTURE_DAY)
    return FIXTURE_DAY


@pytest.fixture
def backend_address(settings):
    """Where provisioning points cameras' push (the seed's backend on the facility LAN)."""
    settings.BACKEND_IP = "192.168.1.50"
    settings.BACKEND_PORT = 8080


def run_command(name: str, *args):
    """(output, CommandError or None) of a management command, as an installer sees it."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    try:
        call_command(name, *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None
