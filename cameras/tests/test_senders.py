"""The per-process camera lookup: one read per camera per few seconds, never stale after a save."""

from __future__ import annotations

import pytest

from cameras import senders
from cameras.models import Camera

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.CAMERA_LOOKUP_CACHE_SECONDS = 5
    senders.forget()
    yield
    senders.forget()


def test_repeated_pushes_read_the_camera_once(django_assert_num_queries):
    Camera.objects.create(code="CAM-01", ip_address="192.168.1.101")
    senders.lookup("192.168.1.101")
    with django_assert_num_queries(0):
        camera, _ = senders.lookup("192.168.1.101")
    assert camera.code == "CAM-01"


def test_a_saved_camera_is_read_again():
    camera = Camera.objects.create(code="CAM-01", ip_address="192.168.1.101", enabled=True)
    senders.lookup("192.168.1.101")
    camera.enabled = False
    camera.save()
    assert senders.lookup("192.168.1.101")[0].enabled is False
