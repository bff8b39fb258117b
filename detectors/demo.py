"""Demo detector service assigned to CAM-01..CAM-03, and an on-duty guard for crime alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from cameras.models import Camera

from .models import Detector, DutyShift

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

DEMO_EMAIL = "model1@damanat.local"
# A fixed development password so the seed's curl walkthrough can be replayed after each reset.
DEMO_PASSWORD = "demo-detector-pass-2026"
DEMO_CAMERAS = ["CAM-01", "CAM-02", "CAM-03"]


def load(out: OutputWrapper) -> None:
    detector, _ = Detector.objects.get_or_create(
        email=DEMO_EMAIL, defaults={"name": "Crime detection (demo)", "allowed_ip": "127.0.0.1"}
    )
    detector.set_password(DEMO_PASSWORD)
    detector.save(update_fields=["password"])
    detector.cameras.set(Camera.objects.filter(code__in=DEMO_CAMERAS))
    _demo_guard_on_duty()
    out.write(
        f"detectors: login email={DEMO_EMAIL} password={DEMO_PASSWORD} "
        f"allowed_ip={detector.allowed_ip} cameras={', '.join(DEMO_CAMERAS)}"
    )


def _demo_guard_on_duty() -> None:
    guard, created = get_user_model().objects.get_or_create(
        username="guard", defaults={"first_name": "Duty", "last_name": "Guard", "is_staff": True}
    )
    if created:
        guard.set_unusable_password()
        guard.save(update_fields=["password"])
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    DutyShift.objects.get_or_create(
        user=guard, starts_at=today, ends_at=today + timedelta(days=1), defaults={"note": "demo"}
    )
