"""Alerts raised from what parking announces run on parking's own test site (zones, rows, API)."""

from parking.tests.conftest import *  # noqa: F403
from parking.tests.test_seed_gaps import two_slot_floor, zone_floor  # noqa: F401 — the floors seed 004 posts to
