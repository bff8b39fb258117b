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
    done = manager_client.post(
        CHANGELIST, {**selection, "apply": "1", "count": 6, "reason": "Counted on the morning round"}
    )

    assert form_page.status_code == 200 and b"New count" in form_page.content
    assert missing_reason.status_code == 200
    assert done.status_code == 302
    row_a.refresh_from_db()
    assert row_a.current_count == 6
    change = row_a.changes.latest("id")
    assert (change.cause, change.delta, change.user, change.reason) == (
        OccupancyChange.Cause.CORRECTION,
        2,
        admin_user,
        "Counted on the morning round",
    )


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


def test_board_shows_floors_zones_and_unconfigured_regions(manager_client, row_a):
    enter("parking-row-A", 11)
    enter("42")

    page = manager_client.get("/admin/parking/zone/board/").content.decode()

    assert "Unconfigured zones" in page and ">42<" in page
    assert "110.0%" in page and "+1" in page
    assert "Ground Floor" in page


def test_board_needs_the_view_permission(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)

    assert client.get("/admin/parking/zone/board/").status_code == 403


def test_zone_page_explains_the_count_with_recent_changes(manager_client, row_a):
    enter("parking-row-A", 2)

    page = manager_client.get(f"/admin/parking/zone/{row_a.pk}/change/").content.decode()

    assert "Full ledger for this zone" in page and "Camera event" in page


def test_the_ledger_link_filters_by_zone(manager_client, row_a, indoor_camera):
    enter("parking-row-A")
    enter("other-region", 3)

    page = manager_client.get(f"/admin/parking/occupancychange/?zone__id__exact={row_a.pk}")

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1


def test_board_speaks_arabic(manager_client, row_a):
    enter("77")

    page = manager_client.get("/admin/parking/zone/board/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert "الطوابق (الأكثر مواقف شاغرة أولاً)" in page
