from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from alerts.services import raise_alert
from cameras.models import Camera
from parking.models import Floor, Zone
from staff.dashboard import camera_status, tile_colour

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    camera = Camera.objects.create(code="CAM-03", ip_address="10.0.0.3", last_seen_at=timezone.now())
    Camera.objects.create(
        code="CAM-OLD", ip_address="10.0.0.4", last_seen_at=timezone.now() - timedelta(hours=2)
    )
    Camera.objects.create(code="CAM-NEW", ip_address="10.0.0.5")
    ground = Floor.objects.create(name="Ground", level=0)
    Zone.objects.create(camera=camera, code="row-a", name="Row A", floor=ground, capacity=10, current_count=9)
    Zone.objects.create(camera=camera, code="row-b", name="Row B", floor=ground, capacity=10, current_count=2)
    return camera


def test_tile_colours_follow_the_occupancy_threshold(settings):
    settings.OCCUPANCY_ALERT_THRESHOLD = 0.9
    assert tile_colour(9, 10) == "red"
    assert tile_colour(7, 10) == "amber"
    assert tile_colour(2, 10) == "green"
    assert tile_colour(3, None) == "grey"


def test_dashboard_shows_zone_counts_capacity_and_percent(client_for, guard, site):
    page = client_for(guard).get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Row A" in html and "9 / 10" in html and "90%" in html
    assert 'class="tile red"' in html and 'class="tile green"' in html


def test_dashboard_in_arabic_writes_arabic_digits(client_for, guard, site):
    html = client_for(guard).get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "٩ / ١٠" in html and "٩٠٪" in html


def test_open_alerts_are_counted_by_severity(client_for, manager, site):
    raise_alert(Alert.Kind.INTRUSION, title="a", severity="critical", group_key="1")
    raise_alert(Alert.Kind.INTRUSION, title="b", severity="critical", group_key="2")
    raise_alert(Alert.Kind.VIOLATION, title="c", severity="low", group_key="3")
    Alert.objects.filter(title="c").update(status=Alert.Status.RESOLVED)
    context = client_for(manager).get("/dashboard/live").context
    counts = {value: n for value, _label, n in context["severities"]}
    assert counts == {"critical": 2, "high": 0, "medium": 0, "low": 0}


def test_camera_strip_tells_online_offline_and_never_seen(site):
    now = timezone.now()
    statuses = {c.code: camera_status(c, now) for c in Camera.objects.all()}
    assert statuses == {"CAM-03": "online", "CAM-OLD": "offline", "CAM-NEW": "never"}


def test_live_fragment_is_the_dashboard_body_without_the_layout(client_for, guard, site):
    html = client_for(guard).get("/dashboard/live").content.decode()
    assert "Row A" in html and "<html" not in html


def test_what_needs_me_now_lists_open_alerts_most_urgent_first(client_for, guard, site):
    raise_alert(Alert.Kind.VIOLATION, title="Car on the ramp", severity="medium", group_key="n1")
    raise_alert(Alert.Kind.INTRUSION, title="Person at the fence", severity="critical", group_key="n2")
    taken = raise_alert(Alert.Kind.OVERSTAY, title="Taken already", severity="high", group_key="n3").alert
    taken.acknowledge(by=guard)
    html = client_for(guard).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    needs_me = html[html.index("data-needs-me") :]
    assert needs_me.index("Person at the fence") < needs_me.index("Car on the ramp")
    assert "Taken already" not in needs_me


def test_one_click_acknowledge_from_the_dashboard(client_for, guard, site):
    alert = raise_alert(
        Alert.Kind.INTRUSION, title="Person at the fence", severity="critical", group_key="n2"
    ).alert
    client = client_for(guard)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/alerts/{alert.pk}/acknowledge" in html
    response = client.post(f"/alerts/{alert.pk}/acknowledge", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert "Person at the fence" not in client.get("/").content.decode().split("data-needs-me")[1]
