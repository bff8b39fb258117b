"""counter_drift: zone-based floor figures compared with a registered gate counter."""

from __future__ import annotations

import pytest

from alerts.models import Alert
from cameras.models import Camera
from parking import drift
from parking.tasks import check_drift
from parking.tests.conftest import enter


@pytest.fixture
def entry_gate(db) -> Camera:
    return Camera.objects.create(code="CAM-ENTRY", ip_address="192.168.1.104", role=Camera.Role.ENTRY_GATE)


@pytest.fixture
def gate_says(monkeypatch, entry_gate):
    """The only gate counter, controlled by the test: {floor name or None: vehicles inside}."""
    figures: dict = {}

    def counter(floor):
        return figures.get(floor.name if floor is not None else None)

    monkeypatch.setattr(drift, "_gate_counters", [])
    drift.register_gate_counter(counter)
    return figures


@pytest.fixture(autouse=True)
def tolerance(settings):
    settings.OCCUPANCY_DRIFT_TOLERANCE = 2


def drift_alerts():
    return Alert.objects.of_kind(Alert.Kind.COUNTER_DRIFT)


def test_a_floor_whose_counts_disagree_past_the_tolerance_raises_counter_drift(row_a, gate_says):
    enter("parking-row-A", 8)
    gate_says["Ground Floor"] = 5

    assert check_drift() == 1

    alert = drift_alerts().get()
    assert "Ground Floor" in alert.title
    assert "8" in alert.description and "5" in alert.description


def test_a_difference_within_the_tolerance_is_not_drift(row_a, gate_says):
    enter("parking-row-A", 7)
    gate_says["Ground Floor"] = 5

    assert check_drift() == 0
    assert not drift_alerts().exists()


def test_no_gate_figure_means_no_comparison(row_a, gate_says):
    enter("parking-row-A", 9)

    assert check_drift() == 0


def test_the_whole_facility_is_compared_too(row_a, gate_says):
    enter("parking-row-A", 1)
    gate_says[None] = 10

    check_drift()

    assert "facility" in drift_alerts().get().title


def test_repeated_checks_add_occurrences_instead_of_new_alerts(row_a, gate_says):
    enter("parking-row-A", 8)
    gate_says["Ground Floor"] = 2

    check_drift()
    check_drift()

    alert = drift_alerts().get()
    assert alert.occurrences == 2


def test_without_a_gate_camera_in_service_nothing_is_compared(row_a, gate_says, entry_gate):
    entry_gate.enabled = False
    entry_gate.save()
    enter("parking-row-A", 8)
    gate_says["Ground Floor"] = 0

    assert check_drift() == 0
