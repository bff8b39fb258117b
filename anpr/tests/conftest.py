from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission, User

from anpr.models import GatePassage, Vehicle
from cameras.choices import EventType
from cameras.ingest import process_event
from cameras.models import Camera, CameraEvent
from cameras.tests.conftest import backend_address  # noqa: F401 — the provisioning tests point push here

MORNING = datetime(2026, 2, 20, 6, 0, tzinfo=UTC)  # 09:00 in Riyadh


@pytest.fixture
def entry_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-ENTRY", ip_address="192.168.1.104", role=Camera.Role.ENTRY_GATE)


@pytest.fixture
def exit_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-EXIT", ip_address="192.168.1.105", role=Camera.Role.EXIT_GATE)


@pytest.fixture
def read_plate():
    """Store a plate read from a camera and dispatch it as the pipeline does."""

    def read(
        camera: Camera | None, plate: str, at: datetime, direction: str = "", event_type: str = EventType.ANPR
    ) -> GatePassage | None:
        event = CameraEvent.objects.create(
            camera=camera,
            event_type=event_type,
            plate=plate,
            original_plate=plate,
            trigger_time=at,
            direction=direction,
            received_at=at,
        )
        process_event(event)
        event.refresh_from_db()
        assert event.status == CameraEvent.Status.ACCEPTED, event.reason
        return (
            GatePassage.objects.filter(event=event).first()
            or GatePassage.objects.filter(last_read_at=at).first()
        )

    return read


@pytest.fixture
def employee_vehicle(db) -> Vehicle:
    return Vehicle.objects.create(
        plate="ا ب ح ١٢٣٤",
        owner_name="Ahmed Al-Sayed",
        category=Vehicle.Category.EMPLOYEE,
        employee_id="EMP-042",
    )


@pytest.fixture
def visitor_vehicle(db) -> Vehicle:
    return Vehicle.objects.create(
        plate="XYZ-5678", owner_name="Visitor Pass 1", category=Vehicle.Category.VISITOR
    )


def user_with(*codenames: str, username: str = "staff") -> User:
    user = User.objects.create(username=username)
    for codename in codenames:
        app, name = codename.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=name))
    return user


@pytest.fixture
def manager_client(db, client):
    client.force_login(
        user_with(
            "anpr.view_vehicle",
            "anpr.add_vehicle",
            "anpr.change_vehicle",
            "anpr.delete_vehicle",
            "anpr.view_gatepassage",
            "anpr.view_visit",
            username="manager",
        )
    )
    return client
