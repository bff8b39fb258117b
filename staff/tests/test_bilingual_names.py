"""Floors, zones and cameras have an English and an Arabic name; each page shows its language's."""

from __future__ import annotations

import pytest
from django.utils import translation

from cameras.models import Camera
from parking.models import Floor, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual_site():
    camera = Camera.objects.create(
        code="CAM-03", name="Critical zones", name_ar="المناطق الحساسة", ip_address="127.0.0.3"
    )
    ground = Floor.objects.create(name="Ground Floor", name_ar="الطابق الأرضي", level=0)
    Zone.objects.create(
        camera=camera,
        code="row-a",
        name="Parking row A",
        name_ar="صف المواقف أ",
        floor=ground,
        capacity=10,
        current_count=3,
    )
    Zone.objects.create(camera=camera, code="row-b", name="Parking row B", floor=ground, capacity=10)
    return camera


def test_the_dashboard_shows_the_readers_names(client_for, guard, bilingual_site):
    arabic = client_for(guard).get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "صف المواقف أ" in arabic and "الطابق الأرضي" in arabic
    assert "Parking row A" not in arabic and "Ground Floor" not in arabic
    # No Arabic name: the English one rather than nothing.
    assert "Parking row B" in arabic
    english = client_for(guard).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Parking row A" in english and "Ground Floor" in english and "صف المواقف أ" not in english


def test_the_cameras_page_shows_the_readers_camera_name(client_for, administrator, bilingual_site):
    page = client_for(administrator).get("/cameras/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "المناطق الحساسة" in page and "Critical zones" not in page


def test_an_arabic_only_name_is_shown_in_english_too(bilingual_site):
    zone = Zone.objects.create(camera=bilingual_site, code="vip", name_ar="كبار الزوار")
    with translation.override("en"):
        assert str(zone) == "كبار الزوار"
    zone.name_ar = ""
    with translation.override("ar"):
        assert str(zone) == "vip"  # neither name: the region code


def test_the_admin_edits_both_names_on_one_row(client, bilingual_site):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="x-long-password-1"))
    for url in (
        f"/admin/parking/zone/{Zone.objects.get(code='row-a').pk}/change/",
        f"/admin/parking/floor/{Floor.objects.get().pk}/change/",
        f"/admin/cameras/camera/{bilingual_site.pk}/change/",
    ):
        html = client.get(url).content.decode()
        row = html[html.index('name="name"') - 2000 : html.index('name="name"')]
        assert "form-row field-name field-name_ar" in row, url
        assert 'name="name_ar"' in html
