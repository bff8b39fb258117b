"""Pictures are shown to the staff allowed to see them, in production as in the demo, and to no one else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cameras.models import CameraEvent, EventPicture
from staff.tests.factories import gate_cameras

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8plate-picture"


@pytest.fixture
def picture_url(db) -> str:
    entry, _ = gate_cameras()
    event = CameraEvent.objects.create(
        camera=entry, event_type="ANPR", plate="ABJ1234", trigger_time=timezone.now()
    )
    picture = EventPicture.objects.create(
        event=event, name="licensePlatePicture.jpg", image=SimpleUploadedFile("plate.jpg", JPEG)
    )
    return picture.image.url


@pytest.mark.parametrize("debug", [True, False])
def test_staff_see_a_picture_in_development_and_production(settings, client_for, guard, picture_url, debug):
    settings.DEBUG = debug
    answer = client_for(guard).get(picture_url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == JPEG


@pytest.mark.parametrize("debug", [True, False])
def test_anonymous_users_are_sent_to_sign_in_and_get_no_picture(settings, picture_url, debug):
    settings.DEBUG = debug
    answer = Client().get(picture_url)
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_a_signed_in_user_without_the_permission_is_refused(client_for, nobody, picture_url):
    assert client_for(nobody).get(picture_url).status_code == 403


def test_behind_nginx_the_file_is_handed_to_nginx_not_streamed(settings, client_for, guard, picture_url):
    settings.MEDIA_ACCEL_REDIRECT = True
    answer = client_for(guard).get(picture_url)
    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == "/protected-media/" + picture_url.removeprefix("/media/")
    assert answer["Content-Type"] == "image/jpeg" and answer["Cache-Control"].startswith("private")


def test_an_integrator_token_fetches_a_picture_named_in_a_payload(guard, picture_url):
    token = Token.objects.create(user=guard).key
    answer = Client().get(picture_url, HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 200


@pytest.mark.parametrize("name", ["events/../../settings.py", "events/missing.jpg", "other/x.jpg"])
def test_names_outside_the_stored_pictures_are_not_served(client_for, administrator, picture_url, name):
    assert client_for(administrator).get(f"/media/{name}").status_code in (403, 404)
