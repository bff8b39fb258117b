from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from alerts.services import raise_alert
from anpr.models import Vehicle
from staff.tests.factories import visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def khalid():
    today = timezone.localdate()
    vehicle = Vehicle.objects.create(
        plate="ABJ1234",
        owner_name="Khalid Al-Harbi",
        category="employee",
        valid_from=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    visit("ABJ1234", timezone.now() - timedelta(hours=5), 95, "employee", vehicle)
    raise_alert(Alert.Kind.PERMIT_EXPIRED, title="Permit expired: ABJ 1234", plate="ABJ1234", group_key="k1")
    return vehicle


@pytest.mark.parametrize("typed", ["ABJ1234", "abj 1234", "أ ب ح ١٢٣٤", "1234 ABJ"])
def test_lookup_in_either_script_shows_registration_visits_and_alerts(client_for, guard, khalid, typed):
    page = client_for(guard).get("/vehicles/", {"plate": typed}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Khalid Al-Harbi" in html
    assert "not valid today" in html
    assert "1 h 35 min" in html
    assert "Permit expired: ABJ 1234" in html


def test_an_unregistered_plate_says_so(client_for, manager, khalid):
    html = client_for(manager).get("/vehicles/", {"plate": "ZZZ999"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Not registered." in html


def test_a_probable_match_is_marked(client_for, guard, khalid):
    html = client_for(guard).get("/vehicles/", {"plate": "ABJ1Z34"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Khalid Al-Harbi" in html and b"Probable" in html


def test_only_security_staff_get_the_manage_links(client_for, guard, manager, khalid):
    assert b"/admin/anpr/vehicle/add/" in client_for(guard).get("/vehicles/").content
    client_for(manager)
    assert b"/admin/anpr/vehicle/add/" not in client_for(manager).get("/vehicles/").content


@pytest.mark.parametrize("who,status", [("guard", 200), ("manager", 403), ("administrator", 403)])
def test_registering_a_plate_in_the_admin_by_role(request, client_for, who, status):
    assert client_for(request.getfixturevalue(who)).get("/admin/anpr/vehicle/add/").status_code == status


def test_the_answer_to_is_it_inside_comes_first(client_for, guard, khalid):
    visit("ABJ1234", timezone.now() - timedelta(minutes=50), None, "employee", khalid)
    html = (
        client_for(guard).get("/vehicles/", {"plate": "ABJ1234"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    answer = html[html.index("data-answer") : html.index("Registration")]
    assert "is inside since" in answer and "Inside for 50 min" in answer


def test_a_plate_that_left_says_when(client_for, guard, khalid):
    html = (
        client_for(guard).get("/vehicles/", {"plate": "ABJ1234"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    answer = html[html.index("data-answer") : html.index("Registration")]
    assert "is not inside" in answer and "Last left at" in answer
