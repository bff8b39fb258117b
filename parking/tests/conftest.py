from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from cameras import simulator
from cameras.ingest import Push, receive_push
from cameras.models import Camera
from parking.models import Floor, Zone

CAM_03_IP = "192.168.1.103"


@pytest.fixture
def indoor_camera(db) -> Camera:
    return Camera.objects.create(
        code="CAM-03", name="Indoor parking", ip_address=CAM_03_IP, role=Camera.Role.INDOOR
    )


@pytest.fixture
def ground_floor(db) -> Floor:
    return Floor.objects.create(name="Ground Floor", level=0, total_slots=50)


@pytest.fixture
def row_a(indoor_camera, ground_floor) -> Zone:
    """parking-row-A: 10 spaces on the ground floor, counted from CAM-03."""
    return Zone.objects.create(
        camera=indoor_camera, code="parking-row-A", name="Parking row A", floor=ground_floor, capacity=10
    )


def push_region(event_type: str, region: str, *, target: str = "vehicle", ip: str = CAM_03_IP):
    """One camera push through the real ingest path (parse, store, dispatch)."""
    body, content_type = simulator.build(event_type, zone=region, target=target)
    return receive_push(Push(body=body, content_type=content_type, source_ip=ip))


def enter(region: str, times: int = 1, **kwargs) -> None:
    for _ in range(times):
        assert push_region("regionEntrance", region, **kwargs).status == "accepted"


def leave(region: str, times: int = 1, **kwargs) -> None:
    for _ in range(times):
        assert push_region("regionExiting", region, **kwargs).status == "accepted"


def user_with(*codenames: str, username: str = "staff") -> User:
    user = User.objects.create_user(username)
    for codename in codenames:
        app_label, code = codename.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=code))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def api_as(db):
    def client_for(*codenames: str, username: str = "staff") -> APIClient:
        client = APIClient()
        client.force_authenticate(user_with(*codenames, username=username))
        return client

    return client_for
