"""Fixtures for alert tests: cameras and zones, a real local webhook receiver, staff users."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from alerts.fanout import breaker
from alerts.models import NotificationChannel
from alerts.tests.receiver import running_receiver
from cameras.models import Camera
from damanat.testing import use_celery_broker
from parking.models import Zone

SECRET = "test-signing-secret"


@pytest.fixture
def receiver():
    with running_receiver("/hooks/alerts") as state:
        yield state


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    breaker.reset()
    yield
    breaker.reset()


@pytest.fixture
def camera(db):
    return Camera.objects.create(
        code="CAM-01", name="Perimeter", ip_address="192.168.1.101", role=Camera.Role.PERIMETER
    )


@pytest.fixture
def zone_factory(camera):
    def make(code: str, kind: str, **fields) -> Zone:
        return Zone.objects.create(
            camera=camera,
            code=code,
            name=fields.pop("name", code),
            kind=kind,
            counted_targets=fields.pop("counted_targets", ["vehicle"]),
            **fields,
        )

    return make


@pytest.fixture
def restricted_zone(zone_factory):
    return zone_factory("restricted-vip", Zone.Kind.RESTRICTED, name="VIP restricted")


@pytest.fixture
def webhook_channel(db, receiver):
    return NotificationChannel.objects.create(
        name="Guard console hook", kind="webhook", url=receiver.url, secret=SECRET, timeout_seconds=2
    )


@pytest.fixture
def user_with(db):
    """A staff user holding exactly the given alerts permissions (codenames)."""

    def make(*codenames: str, username: str = "guard"):
        user = get_user_model().objects.create_user(username=username)
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="alerts", codename__in=codenames)
        )
        return get_user_model().objects.get(pk=user.pk)

    return make


def use_broker(url: str) -> None:
    """Point the Celery app at another broker; fail fast when it is down."""
    use_celery_broker(url, {"max_retries": 1, "socket_connect_timeout": 1, "socket_timeout": 2})


@pytest.fixture(autouse=True)
def _tasks_go_to_test_redis(redis_url):
    """Tasks queued by tests go to this team's Redis database, never to the dev filesystem broker."""
    from damanat.celery import app

    original = (app.conf.broker_url, app.conf.broker_transport_options)
    use_broker(redis_url)
    yield
    use_broker(original[0])
    app.conf.broker_transport_options = original[1]
