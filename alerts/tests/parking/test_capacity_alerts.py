"""occupancy_full is raised once per crossing and re-arms only below threshold minus margin."""

from __future__ import annotations

import pytest

from alerts.models import Alert
from parking.occupancy import correct_zone_count
from parking.tests.conftest import enter, leave


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.OCCUPANCY_ALERT_THRESHOLD = 0.9
    settings.OCCUPANCY_ALERT_REARM_MARGIN = 0.2


def full_alerts():
    return Alert.objects.of_kind(Alert.Kind.OCCUPANCY_FULL)


def test_crossing_the_threshold_raises_one_alert_for_the_zone(row_a):
    enter("parking-row-A", 8)
    assert not full_alerts().exists()

    enter("parking-row-A")  # 9/10 = 90 %

    alert = full_alerts().get()
    assert alert.zone == row_a and alert.camera == row_a.camera
    assert "90%" in alert.title
    assert alert.source_event.event_type == "regionEntrance"


def test_a_zone_flickering_at_the_limit_raises_no_second_alert(row_a):
    enter("parking-row-A", 9)
    for _ in range(5):
        leave("parking-row-A")  # 8/10: still above 70 %, not re-armed
        enter("parking-row-A")  # 9/10

    assert full_alerts().count() == 1
    assert full_alerts().get().occurrences == 1


def test_dropping_below_the_margin_re_arms_and_the_next_crossing_alerts_again(row_a, settings):
    enter("parking-row-A", 9)
    full_alerts().update(status=Alert.Status.RESOLVED)
    leave("parking-row-A", 3)  # 6/10 < 70 %: re-armed
    enter("parking-row-A", 3)  # 9/10 again

    assert full_alerts().count() == 2


def test_a_zone_without_capacity_never_alerts(indoor_camera):
    enter("unknown-region", 50)

    assert not full_alerts().exists()


def test_a_correction_below_the_margin_re_arms(row_a):
    enter("parking-row-A", 10)
    correct_zone_count(row_a, 2, user=None, reason="counted by hand")

    row_a.refresh_from_db()
    assert row_a.full_alert_armed


def test_lowering_capacity_under_a_full_zone_raises_the_alert_at_once(api_as, row_a):
    enter("parking-row-A", 5)

    api_as("parking.view_zone", "parking.change_zone").put(
        f"/api/v1/occupancy/{row_a.pk}/capacity", {"max_capacity": 5}, format="json"
    )

    assert full_alerts().get().zone == row_a
