from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cameras.models import Camera
from parking.models import Zone

INTEGRATOR_PERMS = [
    "cameras.add_camera", "cameras.change_camera", "cameras.view_camera", "cameras.delete_camera",
    "cameras.view_cameraevent", "cameras.add_cameraevent",
    "parking.add_zone", "parking.change_zone", "parking.view_zone", "parking.delete_zone",
    *[f"integrations.{verb}_{model}" for verb in ("add", "change", "view", "delete")
      for model in ("aimodelconfig", "sensorsetting", "exporter", "exportrecord")],
]


def user_with(username: str, perms: list[str]) -> User:
    user = User.objects.create_user(username)  # no password: hashing is slow
    for name in perms:
        app, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return user


@pytest.fixture
def integrator(db) -> User:
    return user_with("integrator", INTEGRATOR_PERMS)


@pytest.fixture
def integrator_token(integrator) -> str:
    return Token.objects.create(user=integrator).key


@pytest.fixture
def api(integrator) -> APIClient:
    client = APIClient()
    client.force_authenticate(integrator)
    return client


@pytest.fixture
def outsider_api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(user_with("outsider", []))
    return client


@pytest.fixture
def entry_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-ENTRY", name="Entry gate", ip_address="192.168.1.104",
                                 role=Camera.Role.ENTRY_GATE)


@pytest.fixture
def exit_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-EXIT", name="Exit gate", ip_address="192.168.1.105",
                                 role=Camera.Role.EXIT_GATE)


@pytest.fixture
def indoor_camera(db) -> Camera:
    return Camera.objects.create(code="CAM-02", name="Covered parking", ip_address="192.168.1.102",
                                 role=Camera.Role.INDOOR)


@pytest.fixture
def zone(indoor_camera) -> Zone:
    return Zone.objects.create(camera=indoor_camera, code="1", name="Covered A", capacity=20)
