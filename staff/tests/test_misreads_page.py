"""The misread inbox page: each unmatched read with its likeliest matches, one-click resolve."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from anpr.models import GatePassage, MisreadReview, Visit
from cameras.ingest import process_event
from cameras.models import Camera, CameraEvent, EventPicture
from cameras.simulator import TINY_JPEG
from damanat.tests.conftest import make_user
from staff.tests.page_text import english_words, latin_digits

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def read(camera: Camera, plate: str, at, colour: str = "white") -> GatePassage:
    event = CameraEvent.objects.create(
        camera=camera,
        event_type="ANPR",
        plate=plate,
        original_plate=plate,
        trigger_time=at,
        received_at=at,
        vehicle_color=colour,
        vehicle_type="sedan",
        plate_confidence=88,
    )
    process_event(event)
    return GatePassage.objects.get(event=event)


@pytest.fixture
def split_visit(db):
    """ABJ 1234 came in 3 h ago and left read as A8J 1Z34 half an hour ago."""
    entry_gate = Camera.objects.create(
        code="CAM-ENTRY",
        name="North entry",
        name_ar="المدخل الشمالي",
        ip_address="192.168.1.104",
        role=Camera.Role.ENTRY_GATE,
    )
    exit_gate = Camera.objects.create(
        code="CAM-EXIT",
        name="North exit",
        name_ar="المخرج الشمالي",
        ip_address="192.168.1.105",
        role=Camera.Role.EXIT_GATE,
    )
    now = timezone.now()
    entry = read(entry_gate, "ABJ1234", now - timedelta(hours=3))
    read(entry_gate, "ASJ1234", now - timedelta(hours=2), colour="red")
    orphan = read(exit_gate, "A8J1Z34", now - timedelta(minutes=30))
    EventPicture(event=orphan.event, name="plate.jpg").image.save("plate.jpg", ContentFile(TINY_JPEG))
    return entry, MisreadReview.objects.get(passage=orphan)


@pytest.fixture
def resolver(db):
    user = make_user("resolver", "Security staff")
    for codename in ("change_misreadreview", "change_visit"):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="anpr", codename=codename))
    return user


def test_the_guard_sees_the_item_and_its_ranked_candidates_without_buttons(client_for, guard, split_visit):
    html = client_for(guard).get("/misreads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Exit without entry" in html and "A 8 J 1 Z 34" in html
    assert html.index("ABJ 1234") < html.index("ASJ 1234")
    assert "1.50" in html and "2 h 30 min" in html and "white" in html and "red" in html
    assert EventPicture.objects.get().image.url in html
    assert "Same vehicle" not in html and "Dismiss" not in html
    assert 'href="/misreads/"' in html  # in the navigation


def test_one_click_resolves_the_item_into_one_visit(client_for, resolver, split_visit):
    entry, review = split_visit
    client = client_for(resolver)
    assert "Same vehicle" in client.get("/misreads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    answer = client.post(
        f"/misreads/{review.pk}/resolve",
        {"candidate": entry.pk, "page": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "Paired: ABJ 1234 parked 150 min." in answer.content.decode()
    assert Visit.objects.get(entry=entry).duration_seconds == 150 * 60
    assert "Nothing to review" in answer.content.decode()


def test_one_click_dismisses(client_for, resolver, split_visit):
    _entry, review = split_visit
    client_for(resolver).post(f"/misreads/{review.pk}/dismiss")
    assert MisreadReview.objects.get().status == MisreadReview.Status.DISMISSED


def test_guards_may_not_pair_and_strangers_may_not_look(client_for, guard, nobody, split_visit):
    entry, review = split_visit
    assert (
        client_for(guard).post(f"/misreads/{review.pk}/resolve", {"candidate": entry.pk}).status_code == 403
    )
    assert client_for(guard).post(f"/misreads/{review.pk}/dismiss").status_code == 403
    assert MisreadReview.objects.get().status == MisreadReview.Status.OPEN
    assert client_for(nobody).get("/misreads/").status_code == 403


def test_the_arabic_page_is_right_to_left_in_arabic_words_and_digits(client_for, resolver, split_visit):
    html = client_for(resolver).get("/misreads/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl"' in html
    assert "خروج بلا دخول" in html and "ا ب ح ١٢٣٤" in html and "١٫٥٠" in html
    assert "أبيض" in html and "المدخل الشمالي" in html
    assert latin_digits(html) == [] and english_words(html) == []
