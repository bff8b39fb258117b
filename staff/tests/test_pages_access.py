"""Every page by role: anonymous users sign in first, people without the role get 403."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# page -> roles that may open it (all others get 403)
PAGES = {
    "/": {"guard", "manager", "administrator"},
    "/dashboard/live": {"guard", "manager", "administrator"},
    "/alerts/": {"guard", "manager", "administrator"},
    "/alerts/live": {"guard", "manager", "administrator"},
    "/cameras/": {"guard", "manager", "administrator"},
    "/log/": {"guard", "manager", "administrator"},
    "/vehicles/": {"guard", "manager", "administrator"},
    "/reports/": {"guard", "manager", "administrator"},
    "/evidence/": {"manager"},  # and security supervisors (evidence/tests/test_access.py)
}
ROLES = ["guard", "manager", "administrator", "nobody"]


@pytest.mark.parametrize("url", list(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    answer = client.get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("url", list(PAGES))
@pytest.mark.parametrize("who", ROLES)
def test_page_by_role(request, client_for, url, who):
    client = client_for(request.getfixturevalue(who))
    expected = 200 if who in PAGES[url] else 403
    assert client.get(url).status_code == expected


def test_navigation_shows_only_pages_the_user_may_open(client_for, nobody, guard):
    page = client_for(guard).get("/cameras/")
    assert b'href="/alerts/"' in page.content


def test_sign_in_page_signs_in_and_goes_to_the_dashboard(client, guard):
    from damanat.tests.conftest import PASSWORD

    answer = client.post("/login/", {"username": "guard", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.get("/").status_code == 200


def test_sign_out(client_for, guard):
    client = client_for(guard)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
