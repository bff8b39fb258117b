"""The API answers database refusals with client errors, never a 5xx for bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from cameras.models import Camera
from parking.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api():
    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_superuser("root", "r@e.com", "x-pass-1"))
    return client


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_number_the_column_cannot_hold_is_a_400(admin_api):
    camera = Camera.objects.create(code="CAM-03", ip_address="192.168.1.103")
    zone = Zone.objects.create(camera=camera, code="row-b", capacity=10)
    answer = admin_api.put(
        f"/api/v1/occupancy/{zone.pk}/capacity", {"max_capacity": 10088711716124}, format="json"
    )
    assert answer.status_code == 400
    assert Zone.objects.get(pk=zone.pk).capacity == 10


def test_database_errors_map_to_client_or_retry_answers():
    from django.db import DataError, IntegrityError, OperationalError

    from damanat.api import exception_handler

    assert exception_handler(DataError("too long"), {}).status_code == 400
    assert exception_handler(IntegrityError("duplicate"), {}).status_code == 409
    assert exception_handler(OperationalError("down"), {}).status_code == 503
