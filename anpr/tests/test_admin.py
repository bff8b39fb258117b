from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from anpr import demo
from anpr.models import GatePassage, Vehicle, Visit
from anpr.services import close_stale_visits
from cameras.models import EventPicture
from cameras.simulator import TINY_JPEG

from .conftest import MORNING

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create(username="boss", is_staff=True, is_superuser=True))
    return client


def test_passages_and_visits_show_read_only_with_pictures(admin_client, entry_camera, read_plate):
    passage = read_plate(entry_camera, "ABJ1234", MORNING)
    picture = EventPicture(event=passage.event, name="plate.jpg")
    picture.image.save("plate.jpg", ContentFile(TINY_JPEG))

    page = admin_client.get(f"/admin/anpr/gatepassage/{passage.pk}/change/").content.decode()
    assert picture.image.url in page and 'name="plate"' not in page
    visit = Visit.objects.get()
    page = admin_client.get(f"/admin/anpr/visit/{visit.pk}/change/").content.decode()
    assert picture.image.url in page
    listing = admin_client.get("/admin/anpr/gatepassage/", {"q": "ا ب ح"})
    assert list(listing.context["cl"].result_list) == [passage]


def test_review_list_and_pairing_by_hand(admin_client, entry_camera, exit_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    close_stale_visits(now=MORNING + timedelta(days=2))
    read_plate(exit_camera, "XBJ1Z34", MORNING + timedelta(hours=3))

    review = admin_client.get("/admin/anpr/visit/", {"review": "yes"})
    assert {v.status for v in review.context["cl"].result_list} == {"stale", "orphan_exit"}
    ids = [str(v.pk) for v in Visit.objects.all()]
    admin_client.post("/admin/anpr/visit/", {"action": "pair_selected", "_selected_action": ids})

    visit = Visit.objects.get()
    assert visit.status == Visit.Status.CLOSED and visit.duration_seconds == 3 * 3600
    assert "boss" in visit.close_note


def test_pairing_refuses_a_wrong_selection(admin_client, entry_camera, read_plate):
    read_plate(entry_camera, "ABJ1234", MORNING)
    read_plate(entry_camera, "DEF200", MORNING)
    ids = [str(v.pk) for v in Visit.objects.all()]
    admin_client.post("/admin/anpr/visit/", {"action": "pair_selected", "_selected_action": ids})
    assert Visit.objects.open().count() == 2


def test_demo_registry_and_visits_load_twice_to_the_same_state(entry_camera, exit_camera):
    # The demo runs up to the minute it is loaded: both loads at the same moment.
    with time_machine.travel(timezone.now(), tick=False):
        demo.load(io.StringIO())
        first = (Vehicle.objects.count(), Visit.objects.count(), GatePassage.objects.count())
        demo.load(io.StringIO())

    assert (Vehicle.objects.count(), Visit.objects.count(), GatePassage.objects.count()) == first
    assert Vehicle.objects.blocked().count() == 1
    assert {v.category for v in Vehicle.objects.all()} == {"employee", "visitor", "contractor", "vip"}
    assert any(v.plate_arabic for v in Vehicle.objects.all())
    assert Visit.objects.filter(status=Visit.Status.CLOSED).count() > 20


def test_gate_board_answers_is_this_car_ours(admin_client, entry_camera, read_plate, employee_vehicle):
    read_plate(entry_camera, "GKL999", MORNING)

    page = admin_client.get("/admin/anpr/visit/gate/", {"plate": "A8J 1234"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ahmed Al-Sayed" in text and "Probable match" in text
    assert "GKL 999" in text  # the latest passages

    unknown = admin_client.get("/admin/anpr/visit/gate/", {"plate": "QQQ 777"}).content.decode()
    assert "QQQ777: not registered" in unknown


def test_gate_board_needs_the_passage_permission(client):
    client.force_login(User.objects.create(username="clerk", is_staff=True))
    assert client.get("/admin/anpr/visit/gate/").status_code == 302


def test_the_gate_board_speaks_arabic(admin_client):
    page = admin_client.get("/admin/anpr/visit/gate/", {"plate": "QQQ 777"}, HTTP_ACCEPT_LANGUAGE="ar")
    text = page.content.decode()
    assert "لوحة البوابة" in text and "غير مسجلة" in text
