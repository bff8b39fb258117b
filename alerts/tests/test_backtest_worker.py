"""A backtest started over the API runs on a real Celery worker and reports its progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.models import Alert
from damanat.roles import ADMINISTRATOR
from damanat.testing import wait_until

from .backtest_helpers import stored_events


@pytest.mark.redis
@pytest.mark.postgres  # the worker thread and the test share the database
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_backtest_and_the_api_shows_it_done(celery_worker_on_redis, restricted_zone):
    admin = User.objects.create_user("admin-2", is_staff=True)
    admin.groups.add(Group.objects.get(name=ADMINISTRATOR))
    start = timezone.now() - timedelta(days=2)
    stored_events(restricted_zone, [start + timedelta(seconds=s) for s in range(0, 6000, 10)])
    client = APIClient()
    client.force_authenticate(admin)

    run_id = client.post(
        "/api/v1/alerts/backtests/",
        {"rule": "zone", "zone": restricted_zone.pk, "cooldown_seconds": 5},
        format="json",
    ).json()["id"]

    assert wait_until(lambda: client.get(f"/api/v1/alerts/backtests/{run_id}/").json()["status"] == "done")
    body = client.get(f"/api/v1/alerts/backtests/{run_id}/").json()
    assert (body["progress_done"], body["progress_total"], body["percent"]) == (600, 600, 100)
    assert body["results"]["totals"]["draft"] == 600 and Alert.objects.count() == 0
