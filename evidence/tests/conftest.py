from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from damanat.roles import FACILITY_MANAGER, SECURITY_STAFF, SECURITY_SUPERVISOR
from damanat.tests.conftest import make_user

from .factories import alert_with_three_events


@pytest.fixture
def supervisor(db) -> User:
    return make_user("supervisor", SECURITY_SUPERVISOR)


@pytest.fixture
def guard(db) -> User:
    return make_user("guard", SECURITY_STAFF)


@pytest.fixture
def manager(db) -> User:
    return make_user("manager", FACILITY_MANAGER)


@pytest.fixture
def pushed_alert(client, db):
    """An alert grouping three camera pushes with a ~300 KB picture each, and their XML documents."""
    return alert_with_three_events(client)
