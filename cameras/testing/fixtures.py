"""pytest fixtures around the fake camera, registered for the whole suite by the root conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .fake_isapi import FakeISAPICamera


@pytest.fixture
def fake_camera() -> Iterator:
    """A running fake Hikvision camera on 127.0.0.1 (Digest auth, admin / Hik-Pass-123)."""
    with FakeISAPICamera() as camera:
        yield camera
