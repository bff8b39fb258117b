"""1,000 entrance/exit pushes from 32 parallel clients through a real HTTP server to PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db.models import Sum
from rest_framework.authtoken.models import Token

from alerts.models import Alert
from cameras import simulator
from cameras.models import Camera, CameraEvent
from parking.models import Floor, Zone
from parking.tests.conftest import CAM_03_IP, user_with

CLIENTS = 32
# Phase 1 only enters; phase 2 mixes, never taking a zone below zero except "row-E",
# which only sees exits (every one clamped), so the final counts do not depend on order.
PHASE_1 = {"row-A": (200, 0), "row-B": (150, 0), "row-C": (100, 0), "row-D": (50, 0)}
PHASE_2 = {"row-A": (30, 120), "row-B": (0, 150), "row-C": (60, 40), "row-D": (0, 20), "row-E": (0, 80)}
EXPECTED = {"row-A": 110, "row-B": 0, "row-C": 120, "row-D": 30, "row-E": 0}


def pushes(plan: dict) -> list[tuple[str, str]]:
    batch = [
        (kind, zone)
        for zone, (entries, exits) in plan.items()
        for kind, times in (("regionEntrance", entries), ("regionExiting", exits))
        for _ in range(times)
    ]
    random.shuffle(batch)
    return batch


def send_all(url: str, batch: list[tuple[str, str]]) -> Counter:
    sessions: dict = {}

    def send(item):
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        body, content_type = simulator.build(item[0], zone=item[1])  # a fresh UUID each time
        reply = session.post(
            url, data=body, timeout=60, headers={"Content-Type": content_type, "X-Forwarded-For": CAM_03_IP}
        )
        return reply.status_code, reply.json()["status"]

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return Counter(pool.map(send, batch))


@pytest.fixture
def five_rows(transactional_db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # Handlers run in the 32 request threads at once: the case atomic counting must survive.
    settings.EVENT_PROCESSING = "inline"
    settings.OCCUPANCY_ALERT_THRESHOLD = 0.9
    camera = Camera.objects.create(code="CAM-03", ip_address=CAM_03_IP, role=Camera.Role.INDOOR)
    floor = Floor.objects.create(name="Ground Floor", total_slots=500)
    return {
        code: Zone.objects.create(camera=camera, code=code, floor=floor, capacity=10) for code in EXPECTED
    }


@pytest.mark.postgres
@pytest.mark.slow
def test_a_thousand_parallel_pushes_give_exact_counts_and_a_matching_ledger(live_server, five_rows):
    url = f"{live_server.url}/api/v1/events/camera"

    first = send_all(url, pushes(PHASE_1))
    second = send_all(url, pushes(PHASE_2))

    assert first + second == Counter({(200, "accepted"): 1000})
    assert CameraEvent.objects.filter(status=CameraEvent.Status.ACCEPTED).count() == 1000
    for code, zone in five_rows.items():
        zone.refresh_from_db()
        entries = PHASE_1.get(code, (0, 0))[0] + PHASE_2[code][0]
        exits = PHASE_1.get(code, (0, 0))[1] + PHASE_2[code][1]
        assert zone.current_count == EXPECTED[code], code
        assert zone.changes.count() == entries + exits, code
        assert zone.changes.aggregate(total=Sum("delta"))["total"] == EXPECTED[code], code
    # Each phase-1 entrance produced a distinct resulting count: no two saw the same value.
    row_a_phase_1 = sorted(
        five_rows["row-A"].changes.order_by("id")[:200].values_list("count_after", flat=True)
    )
    assert row_a_phase_1 == list(range(1, 201))
    assert set(five_rows["row-E"].changes.values_list("delta", flat=True)) == {0}
    full = Alert.objects.of_kind(Alert.Kind.OCCUPANCY_FULL)
    assert sorted(full.values_list("zone__code", "occurrences")) == [
        ("row-A", 1),
        ("row-B", 1),
        ("row-C", 1),
        ("row-D", 1),
    ]

    reader = user_with("parking.view_zone", username="dashboard")
    token = Token.objects.create(user=reader)
    shown = requests.get(
        f"{live_server.url}/api/v1/occupancy", timeout=10, headers={"Authorization": f"Token {token.key}"}
    ).json()
    assert {zone["zone_id"]: zone["current_count"] for zone in shown} == EXPECTED
