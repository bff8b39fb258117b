"""The misread inbox over the API and in the admin: candidates, one-click resolve, dismiss, permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from anpr.models import MisreadReview, PlateConfusion, Visit
from damanat.roles import SECURITY_STAFF

from .conftest import MORNING, user_with

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INBOX = "/api/v1/anpr/misreads/"


@pytest.fixture
def split_visit(entry_camera, exit_camera, read_plate):
    """ABJ 1234 came in at 09:00 and left at 11:30 read as A8J 1Z34; two other cars are inside."""
    entry = read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "ASJ1234", MORNING + timedelta(minutes=30))
    read_plate(entry_camera, "KSA100", MORNING + timedelta(minutes=40))
    orphan = read_plate(exit_camera, "A8J1Z34", MORNING + timedelta(hours=2, minutes=30))
    return entry, MisreadReview.objects.get(passage=orphan)


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def guard(db) -> User:
    user = User.objects.create(username="guard")
    user.groups.add(Group.objects.get(name=SECURITY_STAFF))
    return user


@pytest.fixture
def resolver(db) -> User:
    return user_with(
        "anpr.view_misreadreview", "anpr.change_misreadreview", "anpr.change_visit", username="resolver"
    )


def test_the_inbox_lists_each_item_with_its_top_candidates(split_visit, guard):
    entry, review = split_visit

    answer = api_for(guard).get(INBOX)

    assert answer.status_code == 200 and answer.data["count"] == 1
    item = answer.data["results"][0]
    assert (item["id"], item["kind"], item["status"]) == (review.pk, "exit", "open")
    assert item["passage"]["plate"] == "A8J1Z34" and item["passage"]["camera_id"] == "CAM-EXIT"
    candidates = item["candidates"]
    assert [c["passage"]["plate"] for c in candidates] == ["ABJ1234", "ASJ1234"]  # KSA100 is too far
    assert candidates[0]["passage"]["id"] == entry.pk
    assert candidates[0]["distance"] == 1.5 and candidates[0]["minutes_apart"] == 150
    assert api_for(guard).get(f"{INBOX}{review.pk}/").data["candidates"] == candidates


def test_resolve_pairs_the_visit_in_one_call(split_visit, resolver):
    entry, review = split_visit

    answer = api_for(resolver).post(f"{INBOX}{review.pk}/resolve", {"candidate": entry.pk}, format="json")

    assert answer.status_code == 200, answer.data
    assert (
        answer.data["review"]["status"] == "resolved" and answer.data["review"]["resolved_by"] == "resolver"
    )
    assert answer.data["visit"]["duration_seconds"] == 9000 and answer.data["visit"]["exit_match"] == "manual"
    assert Visit.objects.get(entry=entry).status == Visit.Status.CLOSED
    assert PlateConfusion.objects.filter(read="8", true="B").exists()
    assert api_for(resolver).get(INBOX).data["count"] == 0
    again = api_for(resolver).post(f"{INBOX}{review.pk}/resolve", {"candidate": entry.pk}, format="json")
    assert again.status_code == 409


def test_resolve_needs_a_passage(split_visit, resolver):
    _entry, review = split_visit
    client = api_for(resolver)
    assert client.post(f"{INBOX}{review.pk}/resolve", {}, format="json").status_code == 400
    assert client.post(f"{INBOX}{review.pk}/resolve", {"candidate": 999999}, format="json").status_code == 400


def test_dismiss(split_visit, resolver):
    _entry, review = split_visit

    answer = api_for(resolver).post(f"{INBOX}{review.pk}/dismiss/")

    assert answer.status_code == 200 and answer.data["status"] == "dismissed"
    assert Visit.objects.get(exit=review.passage).status == Visit.Status.ORPHAN_EXIT
    listed = api_for(resolver).get(INBOX, {"status": "dismissed"}).data["results"]
    assert [r["id"] for r in listed] == [review.pk]


def test_guards_see_the_inbox_but_pair_visits_only_with_the_hand_pairing_permission(split_visit, guard):
    entry, review = split_visit
    client = api_for(guard)

    assert (
        client.post(f"{INBOX}{review.pk}/resolve", {"candidate": entry.pk}, format="json").status_code == 403
    )
    assert client.post(f"{INBOX}{review.pk}/dismiss").status_code == 403
    assert MisreadReview.objects.get().status == "open"


def test_the_inbox_needs_sign_in_and_the_view_permission(split_visit):
    assert APIClient().get(INBOX).status_code == 401
    assert api_for(User.objects.create(username="nobody")).get(INBOX).status_code == 403


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create(username="boss", is_staff=True, is_superuser=True))
    return client


def test_admin_shows_the_candidates_and_resolves_with_one_click(split_visit, admin_client):
    entry, review = split_visit

    listing = admin_client.get("/admin/anpr/misreadreview/").content.decode()
    assert "ABJ 1234 at CAM-EXIT" not in listing and "ABJ 1234 at CAM-ENTRY" in listing
    page = admin_client.get(f"/admin/anpr/misreadreview/{review.pk}/change/").content.decode()
    assert f'value="{entry.pk}">Resolve with this one' in page and "ASJ 1234" in page

    answer = admin_client.post(f"/admin/anpr/misreadreview/{review.pk}/resolve/", {"candidate": entry.pk})

    assert answer.status_code == 302
    assert Visit.objects.get(entry=entry).duration_seconds == 9000
    assert MisreadReview.objects.get().status == "resolved"


def test_admin_actions_resolve_with_the_best_candidate_and_dismiss(
    entry_camera, exit_camera, read_plate, admin_client
):
    entry = read_plate(entry_camera, "ABJ1234", MORNING)
    first = read_plate(exit_camera, "A8J1Z34", MORNING + timedelta(hours=1))
    second = read_plate(exit_camera, "KSA100", MORNING + timedelta(hours=2))
    first_item, second_item = (MisreadReview.objects.get(passage=p) for p in (first, second))

    admin_client.post(
        "/admin/anpr/misreadreview/", {"action": "resolve_with_best", "_selected_action": [first_item.pk]}
    )
    admin_client.post(
        "/admin/anpr/misreadreview/", {"action": "dismiss_selected", "_selected_action": [second_item.pk]}
    )

    assert Visit.objects.get(entry=entry).exit == first
    assert dict(MisreadReview.objects.values_list("pk", "status")) == {
        first_item.pk: "resolved",
        second_item.pk: "dismissed",
    }
