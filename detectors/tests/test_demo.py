from __future__ import annotations

import io

from cameras import demo as camera_demo
from detectors import demo
from detectors.models import Detector, DutyShift


def test_demo_detector_is_idempotent_and_can_log_in(db, client_from_ip):
    camera_demo.load(io.StringIO())
    out = io.StringIO()

    demo.load(out)
    demo.load(io.StringIO())

    detector = Detector.objects.get()
    assert sorted(c.code for c in detector.cameras.all()) == ["CAM-01", "CAM-02", "CAM-03"]
    assert demo.DEMO_EMAIL in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()
    assert DutyShift.objects.count() == 1
    response = client_from_ip("127.0.0.1").post(
        "/api/model/login", {"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200
