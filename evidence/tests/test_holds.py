from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from cameras.models import CameraEvent, EventPicture
from evidence.exporting import export_bundle
from evidence.models import EvidenceExport
from operations.models import LegalHold
from operations.retention import apply_retention

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def age_everything(days: int) -> None:
    then = timezone.now() - timedelta(days=days)
    CameraEvent.objects.update(received_at=then)
    EventPicture.objects.update(created_at=then)
    Alert.objects.update(last_seen_at=then, status="resolved")


def test_export_puts_the_alert_and_its_events_on_legal_hold(pushed_alert, supervisor):
    alert, _documents = pushed_alert
    export = export_bundle(alert, by=supervisor)
    held = {(h.content_type.model, h.object_id) for h in LegalHold.objects.active()}
    assert ("alert", str(alert.pk)) in held
    assert {("cameraevent", str(pk)) for pk in CameraEvent.objects.values_list("pk", flat=True)} <= held
    assert LegalHold.objects.filter(placed_by=supervisor).count() == 4
    assert f"#{export.pk}" in LegalHold.objects.first().reason
    assert EvidenceExport.objects.get().exported_by == supervisor


def test_retention_never_deletes_an_exported_case(pushed_alert, supervisor, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raw_events": 30, "pictures": 30, "alerts": 30}
    alert, _documents = pushed_alert
    export_bundle(alert, by=supervisor)
    age_everything(days=400)
    apply_retention()
    assert Alert.objects.filter(pk=alert.pk).exists()
    assert CameraEvent.objects.count() == 3 and EventPicture.objects.count() == 3
    assert all(p.image.storage.exists(p.image.name) for p in EventPicture.objects.all())


def test_without_an_export_the_same_case_ages_out(pushed_alert, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raw_events": 30, "pictures": 30, "alerts": 30}
    age_everything(days=400)
    apply_retention()
    assert not Alert.objects.exists() and not CameraEvent.objects.exists()


def test_a_second_export_does_not_stack_holds(pushed_alert, supervisor):
    alert, _documents = pushed_alert
    export_bundle(alert, by=supervisor)
    export_bundle(alert, by=supervisor)
    assert LegalHold.objects.count() == 4 and EvidenceExport.objects.count() == 2
