"""A site of 100 cameras provisioned in one bounded parallel run, with progress, in under 30 s."""

from __future__ import annotations

import time
from contextlib import ExitStack
from io import StringIO

import pytest
from django.core.management import call_command

from cameras.models import Camera
from cameras.provisioning.drift import repair_all
from cameras.testing.fake_isapi import FakeISAPICamera

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend_address")]

SITE_SIZE = 100
PORT = 8600  # one port, a loopback address per camera (127.0.6.1 - 127.0.6.100)
TRIGGERS = ["fielddetection", "linedetection", "regionEntrance", "regionExiting", "VMD"]


@pytest.fixture
def site():
    with ExitStack() as stack:
        cams = [
            stack.enter_context(
                FakeISAPICamera(
                    host=f"127.0.6.{n}", port=PORT, trigger_readback=("standard", "no_host_id")[n % 2]
                )
            )
            for n in range(1, SITE_SIZE + 1)
        ]
        for n, cam in enumerate(cams, start=1):
            cam.create_camera(f"CAM-{n:03d}", event_triggers=TRIGGERS)
        yield cams


def timed_run(*args) -> tuple[str, float]:
    out = StringIO()
    started = time.monotonic()
    call_command("configure_cameras", "--phase", "all", "--verbosity", "0", *args, stdout=out)
    return out.getvalue(), time.monotonic() - started


def test_a_hundred_cameras_are_provisioned_in_under_thirty_seconds(site):
    first, first_took = timed_run()
    second, second_took = timed_run()
    print(f"\n100 cameras: first run {first_took:.1f} s, re-run {second_took:.1f} s")

    assert first_took < 30 and second_took < 30
    progress = [line for line in first.splitlines() if line.startswith("(")]
    assert len(progress) == SITE_SIZE and progress[-1].startswith(f"({SITE_SIZE}/{SITE_SIZE}) [CAM-")
    table = [line for line in first.splitlines() if line.startswith("CAM-")]
    assert len(table) == SITE_SIZE and all(" CHANGED " in row for row in table)
    assert f"{SITE_SIZE} camera(s): {SITE_SIZE} ok, 0 failed" in first
    assert f"{SITE_SIZE} ok, 0 failed; 0 change(s) made" in second
    assert all(len([n for n in cam.triggers["VMD-1"] if n["method"] == "HTTP"]) == 1 for cam in site)
    assert Camera.objects.filter(push_configured=True).count() == SITE_SIZE


def test_the_hourly_repair_over_a_hundred_cameras_is_quick_and_finds_nothing(site):
    timed_run()

    started = time.monotonic()
    runs = [repair_all(), repair_all()]
    took = time.monotonic() - started
    print(f"\n100 cameras: hourly repair twice {took:.1f} s")

    assert took < 30
    assert [r.drifts for results in runs for r in results] == [[]] * (2 * SITE_SIZE)
    assert Camera.objects.filter(push_configured=True).count() == SITE_SIZE
