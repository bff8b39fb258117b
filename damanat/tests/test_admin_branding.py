"""The admin is Damanat's: its name, its icon, a favicon on every page, lists without the side menu."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_signed_in(client):
    client.force_login(User.objects.create_superuser("root", password="x-long-password-1"))
    return client


def test_the_admin_is_titled_damanat_with_its_icon(admin_client_signed_in):
    html = admin_client_signed_in.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Damanat administration" in html and "Django administration" not in html
    assert "<title>Facility administration | Damanat</title>" in html
    assert 'rel="icon" href="/static/damanat/img/favicon.svg"' in html


def test_in_arabic_too(admin_client_signed_in):
    html = admin_client_signed_in.get("/admin/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "إدارة ضمانات" in html


def test_favicon_ico_is_the_icon_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("/damanat/img/favicon.svg")


def test_change_lists_leave_the_width_to_the_list(admin_client_signed_in):
    html = admin_client_signed_in.get("/admin/anpr/vehicle/").content.decode()
    assert 'id="nav-sidebar"' not in html
