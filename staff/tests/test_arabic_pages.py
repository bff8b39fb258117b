"""Every staff page in Arabic, on the demo site: Arabic-Indic digits and Arabic words only,
plates, codes and people's names excepted."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from alerts.models import Alert
from damanat.models import StaffProfile
from staff.access import may_open
from staff.tests.page_text import english_words, latin_digits

pytestmark = pytest.mark.django_db

PAGES = [
    "pages:dashboard",
    "pages:alerts",
    "pages:inside",
    "pages:log",
    "pages:misreads",
    "pages:reports",
    "pages:cameras",
]


@pytest.fixture
def demo_site(db):
    call_command("load_demo", password="demo-admin-password-1", stdout=open("/dev/null", "w"))


def arabic_pages(client, user) -> dict[str, str]:
    StaffProfile.objects.update_or_create(user=user, defaults={"language": "ar"})
    client.force_login(user)
    urls = [reverse(name) for name in PAGES if may_open(user, name.split(":")[1])]
    if may_open(user, "vehicles"):
        urls += [reverse("pages:vehicles") + "?plate=KSA1", reverse("pages:vehicles") + "?plate=XYZ5678"]
    if may_open(user, "alerts"):
        urls += [reverse("pages:alerts-detail", args=[alert.pk]) for alert in Alert.objects.all()]
    pages = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


@pytest.mark.parametrize("role", ["guard", "manager", "sysadmin"])
def test_arabic_pages_have_no_latin_digits(client, demo_site, role, django_user_model):
    pages = arabic_pages(client, django_user_model.objects.get(username=role))
    found = {url: latin_digits(html) for url, html in pages.items()}
    assert {url: chunks for url, chunks in found.items() if chunks} == {}


@pytest.mark.parametrize("role", ["guard", "manager", "sysadmin"])
def test_arabic_pages_have_no_english_words(client, demo_site, role, django_user_model):
    pages = arabic_pages(client, django_user_model.objects.get(username=role))
    found = {url: english_words(html) for url, html in pages.items()}
    assert {url: chunks for url, chunks in found.items() if chunks} == {}


def test_an_admin_count_message_has_arabic_digits(client, administrator):
    from cameras.models import Camera

    Camera.objects.create(code="CAM-9", ip_address="127.0.0.9", approval=Camera.Approval.DISCOVERED)
    Camera.objects.create(code="CAM-8", ip_address="127.0.0.8", approval=Camera.Approval.DISCOVERED)
    Camera.objects.create(code="CAM-7", ip_address="127.0.0.7", approval=Camera.Approval.DISCOVERED)
    client.force_login(administrator)
    page = client.post(
        "/admin/cameras/camera/",
        {"action": "approve_cameras", "_selected_action": [c.pk for c in Camera.objects.all()]},
        HTTP_ACCEPT_LANGUAGE="ar",
        follow=True,
    )
    assert "اعتُمدت ٣ كاميرات." in page.content.decode()
