"""Admin: floors with zones inline, zone percent, read-only ledger, the "correct count" action."""
from __future__ import annotations

import pytest
from django.contrib.admin import helpers

from parking.models import OccupancyChange

from .conftest import enter

CHANGELIST = "/admin/parking/zone/"


@pytest.fixture
def manager_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_zone_list_shows_count_and_percent(manager_client, row_a):
    enter("parking-row-A", 4)

    page = manager_client.get(CHANGELIST).content.decode()

    assert "Parking row A" in page and "40.0%" in page


def test_correct_count_asks_for_count_and_reason_then_records_both(manager_client, admin_user, row_a):
    enter("parking-row-A", 4)
    selection = {"action": "correct_count", helpers.ACTION_CHECKBOX_NAME: [row_a.pk]}

    form_page = manager_client.post(CHANGELIST, selection)
    missing_reason = manager_client.post(CHANGELIST, {**selection, "apply": "1", "count": 6, "reason": " "})
    done = manager_client.post(CHANGELIST, {**selection, "apply": "1", "count": 6,
                                            "reason": "Counted on the morning round"})

    assert form_page.status_code == 200 and b"New count" in form_page.content
    assert missing_reason.status_code == 200
    assert done.status_code == 302
    row_a.refresh_from_db()
    assert row_a.current_count == 6
    change = row_a.changes.latest("id")
    assert (change.cause, change.delta, change.user, change.reason) == (
        OccupancyChange.Cause.CORRECTION, 2, admin_user, "Counted on the morning round")


def test_floor_page_shows_its_zones_inline(manager_client, row_a, ground_floor):
    page = manager_client.get(f"/admin/parking/floor/{ground_floor.pk}/change/").content.decode()

    assert "parking-row-A" in page


def test_ledger_is_read_only(manager_client, row_a):
    enter("parking-row-A")
    change = OccupancyChange.objects.get()

    assert manager_client.get("/admin/parking/occupancychange/").status_code == 200
    assert manager_client.get("/admin/parking/occupancychange/add/").status_code == 403
    detail = manager_client.post(f"/admin/parking/occupancychange/{change.pk}/change/", {"delta": 5})
    assert detail.status_code == 403
    change.refresh_from_db()
    assert change.delta == 1
