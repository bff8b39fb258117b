from __future__ import annotations

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cameras.models import Camera
from cameras.provisioning.push import provision_push

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def backend_address(settings):
    settings.BACKEND_IP = "192.168.1.50"
    settings.BACKEND_PORT = 8080


def run(*args) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("check_cameras", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_online_camera_with_webhook_registered(fake_camera):
    camera = fake_camera.create_camera("CAM-01", event_triggers=["VMD"])
    provision_push(camera)

    output, error = run()

    assert error is None
    row = next(line for line in output.splitlines() if line.startswith("CAM-01"))
    for expected in (
        "online",
        "DS-2CD3783G2-IZSU",
        fake_camera.serial_number,
        "V5.7.15",
        "registered (slot 1, XML)",
    ):
        assert expected in row
    assert "All cameras reachable and ready." in output


def test_online_camera_without_our_webhook(fake_camera):
    fake_camera.create_camera("CAM-01")

    output, error = run()

    assert error is None
    assert "NOT configured (run configure_cameras)" in output


def test_auth_failure_and_refused_connection_fail_the_command(fake_camera):
    fake_camera.create_camera("CAM-01", password="wrong-one")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    Camera.objects.create(
        code="CAM-02", ip_address="127.0.0.2", http_port=closed_port, username="admin", password="x"
    )

    output, error = run()

    assert "CAM-01, CAM-02" in str(error)
    rows = {line.split()[0]: line for line in output.splitlines()[1:]}
    assert "auth_failed" in rows["CAM-01"] and "wrong username or password" in rows["CAM-01"]
    assert "refused" in rows["CAM-02"] and "nothing answers" in rows["CAM-02"]
    assert "wrong-one" not in output
    assert Camera.objects.get(code="CAM-01").health == Camera.Health.AUTH_FAILED


def test_phase_filter(fake_camera):
    fake_camera.create_camera("CAM-ENTRY", phase=2)

    output, error = run("--phase", "1")

    assert error is None and "CAM-ENTRY" not in output and fake_camera.requests == []
