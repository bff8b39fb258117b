from __future__ import annotations

import pytest
from django.db import transaction

from anpr.models import Vehicle
from anpr.registry_csv import apply_import, plan_import
from anpr.signals import registry_changed


@pytest.fixture
def announced():
    calls: list[list[str]] = []

    def receiver(sender, plates, **kwargs):
        calls.append(plates)

    registry_changed.connect(receiver, dispatch_uid="test-receiver")
    yield calls
    registry_changed.disconnect(dispatch_uid="test-receiver")


@pytest.mark.django_db(transaction=True)
def test_changes_are_announced_after_commit_only(announced):
    with transaction.atomic():
        vehicle = Vehicle.objects.create(plate="ABJ1234")
        assert announced == []
    assert announced == [["ABJ1234"]]

    vehicle.delete()
    assert announced[-1] == ["ABJ1234"]

    with pytest.raises(RuntimeError), transaction.atomic():
        Vehicle.objects.create(plate="DEF200")
        raise RuntimeError("rolled back")
    assert len(announced) == 2


@pytest.mark.django_db(transaction=True)
def test_a_csv_import_is_announced_once(announced):
    apply_import(plan_import("plate,category\nABJ1234,employee\nDEF200,visitor\nGHJ300,vip\n"))
    assert announced == [["ABJ1234", "DEF200", "GHJ300"]]


def test_registry_querysets_for_camera_sync(db):
    from datetime import date

    Vehicle.objects.create(plate="ABJ1234")
    Vehicle.objects.create(plate="DEF200", list=Vehicle.List.BLOCKED)
    Vehicle.objects.create(plate="GHJ300", valid_until=date(2026, 1, 31))

    day = date(2026, 2, 20)
    assert list(Vehicle.objects.allowed().valid_on(day).values_list("plate", flat=True)) == ["ABJ1234"]
    assert list(Vehicle.objects.blocked().values_list("plate", flat=True)) == ["DEF200"]
    assert list(Vehicle.objects.expired_on(day).values_list("plate", flat=True)) == ["GHJ300"]


@pytest.mark.django_db(transaction=True)
def test_permits_starting_today_or_ended_yesterday_are_announced(announced, monkeypatch):
    from datetime import date

    from anpr import services
    from anpr.tasks import announce_validity_changes

    Vehicle.objects.create(plate="ABJ1234", valid_from=date(2026, 2, 20))
    Vehicle.objects.create(plate="DEF200", valid_until=date(2026, 2, 19))
    Vehicle.objects.create(plate="GHJ300", valid_until=date(2026, 2, 20))
    announced.clear()
    monkeypatch.setattr(services, "today", lambda: date(2026, 2, 20))

    assert announce_validity_changes() == 2
    assert announced == [["ABJ1234", "DEF200"]]


def test_the_midnight_schedule_is_five_past_midnight_in_riyadh():
    from anpr.apps import just_after_local_midnight

    schedule = just_after_local_midnight()
    assert (schedule.hour, schedule.minute) == ({21}, {5})  # 00:05 at UTC+3
