from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from damanat import numbers
from damanat.models import StaffProfile
from damanat.tests.conftest import PASSWORD


@pytest.mark.django_db
def test_switching_language_is_remembered_for_the_user_across_sign_ins(client, guard):
    client.force_login(guard)
    answer = client.post("/i18n/setlang/", {"language": "ar", "next": "/cameras/"})
    assert answer.status_code == 302 and answer["Location"] == "/cameras/"
    assert StaffProfile.objects.get(user=guard).language == "ar"

    client.logout()
    client.cookies.clear()
    client.post("/login/", {"username": "guard", "password": PASSWORD})
    page = client.get("/cameras/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="ar" dir="rtl"' in page.content
    assert page.cookies["django_language"].value == "ar"


@pytest.mark.django_db
def test_without_a_saved_choice_the_browser_language_applies(client, guard):
    client.force_login(guard)
    page = client.get("/cameras/", HTTP_ACCEPT_LANGUAGE="ar")
    assert b'dir="rtl"' in page.content
    page = client.get("/cameras/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="en" dir="ltr"' in page.content


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client, guard):
    client.force_login(guard)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert not StaffProfile.objects.filter(user=guard, language="xx").exists()


def test_numbers_in_arabic_use_arabic_indic_digits_and_separators():
    with translation.override("ar"):
        assert numbers.number(1234567) == "١٬٢٣٤٬٥٦٧"
        assert numbers.number(12.5, 1) == "١٢٫٥"
        assert numbers.percent(87) == "٨٧٪"
    with translation.override("en"):
        assert numbers.number(1234567) == "1,234,567"
        assert numbers.percent(87) == "87%"


def test_times_are_shown_in_the_facility_zone():
    moment = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)  # 00:30 next day in Riyadh
    with translation.override("en"):
        assert numbers.when(moment) == "2026-03-02 00:30:00"
    with translation.override("ar"):
        assert numbers.when(moment, "TIME") == "٠٠:٣٠:٠٠"


def test_durations_read_as_hours_and_minutes():
    with translation.override("en"):
        assert numbers.duration(timedelta(hours=2, minutes=5)) == "2 h 05 min"
        assert numbers.duration(600) == "10 min"
        assert numbers.duration(None) == "—"


@pytest.mark.django_db
def test_the_admin_follows_the_saved_language(client, administrator):
    client.force_login(administrator)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/admin/"})
    page = client.get("/admin/cameras/camera/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'dir="rtl"' in page and "الكاميرات" in page


@pytest.mark.parametrize(
    "n,text",
    [
        (1, "مركبة واحدة في الداخل"),
        (2, "مركبتان في الداخل"),
        (3, "٣ مركبات في الداخل"),
        (11, "١١ مركبة في الداخل"),
        (100, "١٠٠ مركبة في الداخل"),
    ],
)
def test_counts_take_arabics_plural_forms_and_digits(n, text):
    from django.utils.translation import ngettext, override

    with override("ar"):
        assert numbers.counted(ngettext("%(n)s vehicle inside", "%(n)s vehicles inside", n), n) == text
