"""Backtests through the API, the admin and the staff page: who may start and read them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from alerts.models import Alert, BacktestRun
from damanat.models import StaffProfile
from damanat.roles import ADMINISTRATOR, SECURITY_STAFF
from parking.models import Zone

from .backtest_helpers import NOW, facility_noon, seconds_before_now, stored_events  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("facility_noon")]


def in_role(username: str, role: str) -> User:
    user = User.objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def administrator(db):
    return in_role("admin-1", ADMINISTRATOR)


@pytest.fixture
def guard(db):
    return in_role("guard-1", SECURITY_STAFF)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_administrator_starts_a_backtest_and_reads_its_results(
    administrator, zone_factory, django_capture_on_commit_callbacks
):
    row = zone_factory("row-A", Zone.Kind.PARKING)
    stored_events(row, seconds_before_now(0, 60, 120))

    with django_capture_on_commit_callbacks(execute=True):
        started = api(administrator).post(
            "/api/v1/alerts/backtests/", {"rule": "zone", "zone": row.pk, "kind": "restricted"}, format="json"
        )
    assert started.status_code == 201, started.content
    answer = api(administrator).get(f"/api/v1/alerts/backtests/{started.json()['id']}/")

    body = answer.json()
    assert (answer.status_code, body["status"], body["percent"]) == (200, "done", 100)
    assert body["results"]["totals"] == {"draft": 3, "current": 0, "recorded": 0}
    assert body["requested_by"] == "admin-1" and body["params"] == {"changes": {"kind": "restricted"}}
    assert Alert.objects.count() == 0


def test_an_invalid_draft_is_refused_with_the_reason(administrator, restricted_zone):
    answer = api(administrator).post("/api/v1/alerts/backtests", {"rule": "capacity"}, format="json")

    assert answer.status_code == 400
    assert "zone" in answer.json() and "non_field_errors" in answer.json()
    assert not BacktestRun.objects.exists()


def test_a_guard_may_read_backtests_but_not_start_one(guard, restricted_zone):
    run = BacktestRun.objects.create(
        rule="zone", zone=restricted_zone, params={"changes": {"kind": "staff_only"}}
    )

    refused = api(guard).post(
        "/api/v1/alerts/backtests/",
        {"rule": "zone", "zone": restricted_zone.pk, "cooldown_seconds": 60},
        format="json",
    )
    read = api(guard).get(f"/api/v1/alerts/backtests/{run.pk}/")

    assert (refused.status_code, read.status_code) == (403, 200)
    assert BacktestRun.objects.count() == 1


def test_anonymous_callers_are_refused(restricted_zone):
    assert APIClient().get("/api/v1/alerts/backtests/").status_code == 401


def test_the_zone_admin_action_opens_the_backtest_form_for_that_zone(administrator, client, restricted_zone):
    client.force_login(administrator)

    answer = client.post(
        reverse("admin:parking_zone_changelist"),
        {"action": "backtest_change", "_selected_action": [restricted_zone.pk]},
    )
    form = client.get(answer["Location"])

    assert answer.status_code == 302
    assert f'<option value="{restricted_zone.pk}" selected>' in form.content.decode()


def test_the_admin_runs_a_backtest_and_shows_its_table(
    administrator, client, restricted_zone, django_capture_on_commit_callbacks
):
    stored_events(restricted_zone, seconds_before_now(0, 20, 100))
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("admin:alerts_backtestrun_add"),
            {"rule": "zone", "zone": restricted_zone.pk, "days": 30, "cooldown_seconds": 0},
        )
    page = client.get(answer["Location"]).content.decode()

    assert answer.status_code == 302
    assert "100 % (3 / 3)" in page and "Current rule (replayed)" in page


def test_a_guard_sees_the_page_without_the_form_and_cannot_post_it(guard, client, restricted_zone):
    client.force_login(guard)

    page = client.get(reverse("pages:backtests"))
    posted = client.post(
        reverse("pages:backtests"), {"rule": "zone", "zone": restricted_zone.pk, "cooldown_seconds": 60}
    )

    assert page.status_code == 200 and 'name="cooldown_seconds"' not in page.content.decode()
    assert posted.status_code == 403


def test_the_backtest_page_in_arabic_is_right_to_left_and_translated(
    administrator, client, restricted_zone, django_capture_on_commit_callbacks
):
    stored_events(restricted_zone, seconds_before_now(0, 100))
    StaffProfile.objects.update_or_create(user=administrator, defaults={"language": "ar"})
    client.force_login(administrator)

    # The user's language stays active in this thread after a request: the next tests need English.
    with translation.override("en"):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                reverse("pages:backtests"),
                {"rule": "zone", "zone": restricted_zone.pk, "days": 30, "kind": "staff_only"},
            )
        page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert 'dir="rtl"' in page
    assert "اختبار القاعدة على الماضي" in page  # Rule backtest
    assert "القاعدة الحالية (بإعادة التشغيل)" in page  # Current rule (replayed)
    assert "Draft rule" not in page and "٢" in page


def test_edits_on_the_zone_form_are_backtested_and_not_saved(
    administrator, client, zone_factory, django_capture_on_commit_callbacks
):
    row = zone_factory("row-E", Zone.Kind.PARKING, capacity=4)
    stored_events(row, seconds_before_now(0, 60, 120))
    client.force_login(administrator)
    url = reverse("admin:parking_zone_change", args=[row.pk])
    page = client.get(url)
    assert 'name="_backtest"' in page.content.decode()
    form = page.context["adminform"].form
    edited = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    edited.update(kind=Zone.Kind.STAFF_ONLY, capacity=2, counted_targets='["vehicle"]', _backtest="1")

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, edited)

    row.refresh_from_db()
    assert (row.kind, row.capacity) == (Zone.Kind.PARKING, 4)
    runs = {run.rule: run for run in BacktestRun.objects.all()}
    assert answer.status_code == 302 and set(runs) == {"zone", "capacity"}
    assert runs["zone"].params == {"changes": {"kind": "staff_only"}}
    assert runs["zone"].results["totals"]["draft"] == 3
    assert runs["capacity"].params == {"changes": {"capacity": 2}}
