from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from cameras.models import Camera
from operations.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-chief-123")
    client.force_login(user)
    return client


def camera_form(**overrides):
    inline = "drifts"  # the configuration-drift inline, read-only: no forms posted
    data = {
        f"{inline}-TOTAL_FORMS": 0,
        f"{inline}-INITIAL_FORMS": 0,
        "code": "CAM-09",
        "name": "Gate 9",
        "model": "",
        "role": "indoor",
        "gate": "",
        "phase": 1,
        "ip_address": "192.168.1.109",
        "http_port": 80,
        "channel": 1,
        "username": "admin",
        "password": "s3cret-pass",
        "push_username": "",
        "push_password": "",
        "push_format": "XML",
        "event_triggers": "[]",
        "rtsp_port": 554,
        "rtsp_path": "/Streaming/Channels/101",
        "onvif_port": 80,
        "storage_type": "local",
        "enabled": "on",
        "approval": "approved",
        "plate_list_mode": "none",
    }
    data.update(overrides)
    return data


def test_admin_changes_to_a_camera_are_audited_with_user_and_masked_password(admin_client):
    response = admin_client.post("/admin/cameras/camera/add/", camera_form())
    assert response.status_code == 302, response.content[:2000]
    camera = Camera.objects.get(code="CAM-09")
    admin_client.post(
        f"/admin/cameras/camera/{camera.pk}/change/", camera_form(name="Gate nine", password="")
    )

    created, changed = AuditEntry.objects.order_by("at", "id")
    assert (created.action, created.username, created.source) == ("created", "chief", "admin")
    assert created.changes["password"] == [None, "***"]
    assert "s3cret-pass" not in str(created.changes)
    assert changed.changes == {"name": ["Gate 9", "Gate nine"]}


def test_deleting_a_camera_records_its_last_values(admin_client):
    camera = Camera.objects.create(code="CAM-10", ip_address="192.168.1.110")
    admin_client.post(f"/admin/cameras/camera/{camera.pk}/delete/", {"post": "yes"})
    entry = AuditEntry.objects.get(action="deleted")
    assert entry.changes["code"] == ["CAM-10", None]


def test_audit_entries_cannot_be_edited_in_the_admin(admin_client):
    Camera.objects.create(code="CAM-11", ip_address="192.168.1.111")
    entry = AuditEntry.objects.get()
    page = admin_client.get(f"/admin/operations/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (
        admin_client.post(f"/admin/operations/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_machine_updates_are_recorded_as_system(db):
    camera = Camera.objects.create(code="CAM-12", ip_address="192.168.1.112")
    camera.name = "renamed by a task"
    camera.save()
    assert set(AuditEntry.objects.values_list("source", flat=True)) == {"system"}
