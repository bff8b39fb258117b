"""Staff users, one per role, and signed-in clients for them."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.utils import timezone

from damanat.roles import ADMINISTRATOR, FACILITY_MANAGER, SECURITY_STAFF

ROLE_USERS = {"guard": SECURITY_STAFF, "manager": FACILITY_MANAGER, "administrator": ADMINISTRATOR}
PASSWORD = "correct horse battery 7"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, role: str | None = None) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def guard(db) -> User:
    return make_user("guard", SECURITY_STAFF)


@pytest.fixture
def manager(db) -> User:
    return make_user("manager", FACILITY_MANAGER)


@pytest.fixture
def administrator(db) -> User:
    return make_user("administrator", ADMINISTRATOR)


@pytest.fixture
def nobody(db) -> User:
    """Signed in, but in no role."""
    return make_user("nobody")


@pytest.fixture
def client_for(client):
    def login(user: User):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def facility_afternoon():
    """The clock at 14:00 facility time today, ticking: "today" has hours behind it whenever
    the suite runs (data placed 30 minutes ago is still today just after midnight)."""
    afternoon = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    with time_machine.travel(afternoon, tick=True):
        yield afternoon
