"""Roles are enforced the same way by the API and the admin as by the pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who,status", [("guard", 200), ("manager", 200), ("administrator", 200), ("nobody", 403)]
)
def test_event_api_by_role(request, client_for, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/api/v1/events").status_code == status


@pytest.mark.parametrize("who,status", [("guard", 403), ("manager", 403), ("administrator", 200)])
def test_adding_a_camera_in_the_admin_by_role(request, client_for, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/admin/cameras/camera/add/").status_code == status


@pytest.mark.parametrize("who,status", [("guard", 200), ("manager", 200), ("nobody", 403)])
def test_viewing_cameras_in_the_admin_by_role(request, client_for, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/admin/cameras/camera/").status_code == status


def test_manager_sees_a_camera_in_the_admin_read_only(client_for, manager):
    from cameras.models import Camera

    camera = Camera.objects.create(code="C", ip_address="10.0.0.9")
    client = client_for(manager)
    page = client.get(f"/admin/cameras/camera/{camera.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/cameras/camera/{camera.pk}/change/", {"code": "X"}).status_code == 403
    assert Camera.objects.get(pk=camera.pk).code == "C"


def test_admin_actions_without_declared_permissions_need_change(client_for, manager, administrator):
    from cameras.models import Camera

    camera = Camera.objects.create(
        code="NEW", ip_address="10.0.0.50", enabled=False, approval=Camera.Approval.DISCOVERED
    )
    form = {"action": "approve_cameras", "_selected_action": [camera.pk]}
    client = client_for(manager)
    page = client.get("/admin/cameras/camera/")
    assert b"approve_cameras" not in page.content
    client.post("/admin/cameras/camera/", form)
    assert Camera.objects.get(pk=camera.pk).approval == Camera.Approval.DISCOVERED

    client_for(administrator).post("/admin/cameras/camera/", form)
    assert Camera.objects.get(pk=camera.pk).approval == Camera.Approval.APPROVED


def test_security_staff_handle_crime_reports_managers_only_read_them():
    from django.contrib.auth.models import Group

    def perms(role):
        return {p.codename for p in Group.objects.get(name=role).permissions.all()}

    assert "change_crimereport" in perms("Security staff")
    assert "change_crimereport" not in perms("Facility manager")
    assert "view_crimereport" in perms("Facility manager")
