from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alerts.models import Alert
from alerts.services import raise_alert
from cameras.models import Camera, CameraEvent, EventPicture

pytestmark = pytest.mark.django_db


def alert(title="Intrusion at VIP", severity="high", kind=Alert.Kind.INTRUSION, **kw) -> Alert:
    return raise_alert(kind, title=title, severity=severity, group_key=title, **kw).alert


def test_console_lists_active_alerts_newest_first(client_for, guard):
    old = alert("older", at=timezone.now() - timedelta(minutes=5))
    new = alert("newer")
    closed = alert("closed")
    closed.resolve(by=guard, note="ok")
    page = client_for(guard).get("/alerts/", HTTP_ACCEPT_LANGUAGE="en")
    listed = [a.pk for a in page.context["listing"]]
    assert listed == [new.pk, old.pk]


def test_console_filters_by_severity_and_status(client_for, manager, guard):
    alert("low one", severity="low")
    crit = alert("critical one", severity="critical")
    done = alert("done", severity="critical")
    done.mark_false_positive(by=guard, note="bird")
    client = client_for(manager)
    assert [a.pk for a in client.get("/alerts/?severity=critical").context["listing"]] == [crit.pk]
    assert [a.pk for a in client.get("/alerts/?status=false_positive").context["listing"]] == [done.pk]


def test_feed_sends_new_and_changed_alerts_since_the_cursor(client_for, guard):
    client = client_for(guard)
    cursor = client.get("/alerts/").context["cursor"]
    fresh = alert("Vehicle in no-parking zone")
    data = client.get("/alerts/live", {"since": cursor}).json()
    row = next(r for r in data["rows"] if r["id"] == fresh.pk)
    assert row["is_new"] and "Vehicle in no-parking zone" in row["html"]
    assert data["cursor"] > cursor


def test_feed_removes_a_row_that_no_longer_matches_the_filter(client_for, guard):
    client = client_for(guard)
    a = alert()
    since = (timezone.now() - timedelta(seconds=1)).isoformat()
    a.resolve(by=guard, note="handled")
    data = client.get("/alerts/live", {"since": since, "status": "active"}).json()
    assert {"id": a.pk, "is_new": False, "html": ""} in data["rows"]


def test_guard_acknowledges_from_the_console(client_for, guard):
    a = alert()
    answer = client_for(guard).post(f"/alerts/{a.pk}/acknowledge", {"next": "/alerts/"})
    assert answer.status_code == 302 and answer["Location"] == "/alerts/"
    a.refresh_from_db()
    assert a.status == Alert.Status.ACKNOWLEDGED and a.acknowledged_by == guard


def test_guard_assigns_comments_and_resolves_with_a_note(client_for, guard):
    a = alert()
    client = client_for(guard)
    client.post(f"/alerts/{a.pk}/assign", {"user": guard.pk})
    client.post(f"/alerts/{a.pk}/comment", {"text": "Patrol sent"})
    client.post(f"/alerts/{a.pk}/resolve", {"note": "Visitor escorted out"})
    a.refresh_from_db()
    assert a.assigned_to == guard
    assert a.status == Alert.Status.RESOLVED and a.resolution_note == "Visitor escorted out"
    page = client.get(f"/alerts/{a.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Patrol sent" in page and "Visitor escorted out" in page


def test_false_positive(client_for, guard):
    a = alert()
    client_for(guard).post(f"/alerts/{a.pk}/false_positive", {"note": "shadow"})
    a.refresh_from_db()
    assert a.status == Alert.Status.FALSE_POSITIVE


def test_resolving_twice_says_why_instead_of_failing(client_for, guard):
    a = alert()
    client = client_for(guard)
    client.post(f"/alerts/{a.pk}/resolve", {"note": "done"})
    answer = client.post(f"/alerts/{a.pk}/resolve", {"note": "again"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assert any("Not allowed" in str(m) for m in answer.context["messages"])


@pytest.mark.parametrize("who", ["manager", "administrator", "nobody"])
@pytest.mark.parametrize("action", ["acknowledge", "resolve", "false_positive", "comment", "assign"])
def test_only_security_staff_handle_alerts(request, client_for, who, action):
    a = alert()
    answer = client_for(request.getfixturevalue(who)).post(
        f"/alerts/{a.pk}/{action}", {"note": "x", "text": "x"}
    )
    assert answer.status_code == 403
    a.refresh_from_db()
    assert a.status == Alert.Status.OPEN and not a.history.filter(action=action).exists()


def test_manager_sees_no_action_buttons(client_for, manager):
    a = alert()
    page = client_for(manager).get(f"/alerts/{a.pk}/").content.decode()
    assert f"/alerts/{a.pk}/acknowledge" not in page and f"/alerts/{a.pk}/resolve" not in page


def test_alert_page_shows_its_event_and_pictures(client_for, guard):
    camera = Camera.objects.create(code="CAM-01", ip_address="10.0.0.1")
    event = CameraEvent.objects.create(
        camera=camera, event_type="fielddetection", region_id="vip", trigger_time=timezone.now()
    )
    picture = EventPicture.objects.create(
        event=event, name="detectionPicture.jpg", image=SimpleUploadedFile("p.jpg", b"\xff\xd8jpeg")
    )
    a = alert(camera=camera, source_event=event)
    page = client_for(guard).get(f"/alerts/{a.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Intrusion detection" in page and picture.image.url in page and "CAM-01" in page


def test_unknown_action_is_404(client_for, guard):
    a = alert()
    assert client_for(guard).post(f"/alerts/{a.pk}/explode").status_code == 404


@pytest.mark.django_db(transaction=True)  # the consumer's queries run in another thread
def test_console_listens_on_the_websocket_stream_signed_in_by_its_session(client_for, guard):
    from asgiref.sync import async_to_sync

    from damanat.asgi import application
    from integrations.tests.communicator import WebsocketCommunicator

    client = client_for(guard)
    html = client.get("/alerts/").content.decode()
    assert 'data-stream-url="/api/v1/events/stream?kind=alert"' in html
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def hello():
        stream = WebsocketCommunicator(
            application, "/api/v1/events/stream?kind=alert", headers=[(b"cookie", cookie)]
        )
        assert (await stream.connect())[0]
        first = await stream.receive_json_from()
        await stream.disconnect()
        return first

    assert async_to_sync(hello)()["kinds"] == ["alert"]


def test_every_filter_box_says_all(client_for, guard):
    Camera.objects.create(
        code="CAM-01", name="Outdoor perimeter", name_ar="المحيط الخارجي", ip_address="127.0.0.9"
    )
    html = client_for(guard).get("/alerts/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "---------" not in html
    assert "CAM-01 · المحيط الخارجي" in html and "127.0.0.9" not in html


def test_the_done_message_has_arabic_digits(client_for, guard):
    a = alert()
    page = client_for(guard).post(
        f"/alerts/{a.pk}/acknowledge", {"next": "/alerts/"}, HTTP_ACCEPT_LANGUAGE="ar", follow=True
    )
    html = page.content.decode()
    arabic_id = str(a.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert f"التنبيه رقم {arabic_id}." in html and f"رقم {a.pk}." not in html


def test_the_event_is_described_in_the_readers_words(client_for, guard):
    camera = Camera.objects.create(
        code="CAM-01", name="Outdoor perimeter", name_ar="المحيط الخارجي", ip_address="127.0.0.11"
    )
    from parking.models import Zone

    zone = Zone.objects.create(
        camera=camera,
        code="restricted-vip",
        name="VIP restricted",
        name_ar="منطقة كبار الزوار المقيدة",
        kind=Zone.Kind.RESTRICTED,
    )
    event = CameraEvent.objects.create(
        camera=camera,
        event_type="fielddetection",
        event_state="active",
        region_id="restricted-vip",
        detection_target="human",
        trigger_time=timezone.now(),
    )
    a = alert(camera=camera, zone=zone, source_event=event)
    html = client_for(guard).get(f"/alerts/{a.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    event_card = html[html.index("نوع الحدث") :]
    assert "كشف التسلل (نشط)" in event_card and "شخص" in event_card
    assert "منطقة كبار الزوار المقيدة" in event_card and "المحيط الخارجي" in event_card
    assert "fielddetection" not in html and ">human<" not in html
