"""GET /api/v1/events: filters, pagination, authentication; API docs behind login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cameras.models import CameraEvent

from .conftest import make_camera

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/events"


@pytest.fixture
def viewer(db) -> User:
    user = User.objects.create_user("guard")
    user.user_permissions.add(Permission.objects.get(codename="view_cameraevent"))
    return user


@pytest.fixture
def event_log(db):
    """Five events from two cameras over two hours."""
    now = timezone.now()
    cam3, entry = make_camera(), make_camera("CAM-ENTRY", "192.168.1.104")
    rows = [
        (cam3, "regionEntrance", "accepted", "", now - timedelta(hours=2)),
        (cam3, "regionExiting", "accepted", "", now - timedelta(minutes=90)),
        (cam3, "fielddetection", "failed", "", now - timedelta(minutes=30)),
        (entry, "ANPR", "accepted", "KH35192", now - timedelta(minutes=20)),
        (entry, "AccessControllerEvent", "duplicate", "ABC-1234", now - timedelta(minutes=10)),
    ]
    return [
        CameraEvent.objects.create(
            camera=cam,
            event_type=kind,
            status=status,
            plate=plate,
            received_at=at,
            trigger_time=at,
            source_ip=cam.ip_address,
        )
        for cam, kind, status, plate, at in rows
    ]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_is_refused(client, event_log):
    assert client.get(EVENTS).status_code in (401, 403)
    assert client.get(f"{EVENTS}/{event_log[0].pk}").status_code in (401, 403)


def test_logged_in_without_permission_is_refused(client, event_log):
    client.force_login(User.objects.create_user("nobody"))
    assert client.get(EVENTS).status_code == 403


def test_session_login_lists_newest_first(client, viewer, event_log):
    client.force_login(viewer)
    response = client.get(EVENTS)
    assert ids(response) == [e.pk for e in reversed(event_log)]
    row = response.json()["results"][0]
    assert row["camera_code"] == "CAM-ENTRY"
    assert row["plate"] == "ABC-1234"
    assert "raw_body" not in row and "headers" not in row


def test_token_authentication(client, viewer, event_log):
    token = Token.objects.create(user=viewer)
    response = client.get(EVENTS, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert len(ids(response)) == 5
    wrong = client.get(EVENTS, HTTP_AUTHORIZATION="Token wrong")
    # 403, not 401: SessionAuthentication comes first and sends no challenge.
    assert wrong.status_code in (401, 403)
    assert wrong.json() == {"detail": "Invalid token."}
    detail = client.get(f"{EVENTS}/{event_log[3].pk}", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert detail.json()["event_type"] == "ANPR"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("camera=cam-entry", [4, 3]),
        ("event_type=anpr", [3]),
        ("event_type=regionentrance", [0]),
        ("status=failed", [2]),
        ("status=accepted&status=duplicate", [4, 3, 1, 0]),
        ("plate=1234", [4]),
        ("plate=kh35", [3]),
    ],
)
def test_filters(client, viewer, event_log, query, expected):
    client.force_login(viewer)
    assert ids(client.get(f"{EVENTS}?{query}")) == [event_log[i].pk for i in expected]


def test_camera_id_filter(client, viewer, event_log):
    client.force_login(viewer)
    camera_id = event_log[0].camera_id
    assert ids(client.get(f"{EVENTS}?camera_id={camera_id}")) == [e.pk for e in reversed(event_log[:3])]


def test_time_range(client, viewer, event_log):
    client.force_login(viewer)
    since = (event_log[1].received_at - timedelta(minutes=1)).isoformat()
    until = event_log[3].received_at.isoformat()
    response = client.get(EVENTS, {"since": since, "until": until})
    assert ids(response) == [event_log[2].pk, event_log[1].pk]


def test_invalid_filter_value_is_400(client, viewer, event_log):
    client.force_login(viewer)
    assert client.get(f"{EVENTS}?status=exploded").status_code == 400
    assert client.get(f"{EVENTS}?since=yesterday").status_code == 400


def test_pagination(client, viewer, event_log):
    client.force_login(viewer)
    page = client.get(f"{EVENTS}?limit=2&offset=2").json()
    assert page["count"] == 5
    assert [row["id"] for row in page["results"]] == [event_log[2].pk, event_log[1].pk]
    assert page["next"].endswith("limit=2&offset=4")
    assert page["previous"].endswith("limit=2")


def test_events_are_read_only(client, viewer, event_log):
    client.force_login(viewer)
    assert client.post(EVENTS, {}).status_code in (403, 405)
    assert client.delete(f"{EVENTS}/{event_log[0].pk}").status_code in (403, 405)


@pytest.mark.parametrize("path", ["/api/docs", "/api/schema"])
def test_api_docs_need_login(client, viewer, path):
    assert client.get(path).status_code in (401, 403)
    client.force_login(viewer)
    response = client.get(path)
    assert response.status_code == 200
    if path == "/api/schema":
        assert b"/api/v1/events/camera" in response.content
