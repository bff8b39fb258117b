from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType

from damanat.roles import (
    ADMINISTRATOR,
    FACILITY_MANAGER,
    HAND_OVER_EVIDENCE,
    ROLES,
    SECURITY_STAFF,
    SECURITY_SUPERVISOR,
    apply_roles,
)

pytestmark = pytest.mark.django_db


def perms_of(role: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_migrations_create_the_three_roles():
    assert set(Group.objects.filter(name__in=ROLES).values_list("name", flat=True)) == set(ROLES)


def test_security_staff_watch_everything_and_handle_alerts_but_manage_no_cameras():
    perms = perms_of(SECURITY_STAFF)
    assert {
        "cameras.view_camera",
        "parking.view_zone",
        "alerts.view_alert",
        "cameras.view_cameraevent",
    } <= perms
    assert "alerts.change_alert" in perms
    assert "cameras.change_camera" not in perms
    assert "alerts.delete_alert" not in perms
    assert "auth.change_user" not in perms


def test_facility_manager_is_read_only_but_hands_over_evidence():
    perms = perms_of(FACILITY_MANAGER)
    assert {"parking.view_zone", "alerts.view_alert", "cameras.view_camera"} <= perms
    assert all(code.split(".")[1].startswith("view_") for code in perms - set(HAND_OVER_EVIDENCE))
    assert set(HAND_OVER_EVIDENCE) <= perms


def test_supervisor_handles_alerts_and_exports_evidence_guards_do_not():
    assert set(HAND_OVER_EVIDENCE) <= perms_of(SECURITY_SUPERVISOR)
    assert perms_of(SECURITY_STAFF) < perms_of(SECURITY_SUPERVISOR)
    assert not set(HAND_OVER_EVIDENCE) & perms_of(SECURITY_STAFF)


def test_administrator_manages_cameras_and_users_but_does_not_handle_alerts():
    perms = perms_of(ADMINISTRATOR)
    assert {"cameras.add_camera", "cameras.change_camera", "auth.change_user", "auth.add_user"} <= perms
    assert "alerts.change_alert" not in perms


def test_permissions_of_models_added_later_are_assigned_on_the_next_migrate():
    content_type = ContentType.objects.create(app_label="anpr", model="laterthing")
    Permission.objects.create(content_type=content_type, codename="view_laterthing", name="x")
    Permission.objects.create(content_type=content_type, codename="change_laterthing", name="y")

    apply_roles(Group, Permission)

    assert "anpr.view_laterthing" in perms_of(FACILITY_MANAGER)
    assert "anpr.change_laterthing" not in perms_of(FACILITY_MANAGER)


def test_applying_again_keeps_what_an_administrator_granted_by_hand():
    extra = Permission.objects.get(codename="delete_alert")
    Group.objects.get(name=SECURITY_STAFF).permissions.add(extra)

    apply_roles(Group, Permission)

    assert "alerts.delete_alert" in perms_of(SECURITY_STAFF)


def test_a_user_in_a_role_gets_its_permissions():
    user = User.objects.create_user("m")
    user.groups.add(Group.objects.get(name=FACILITY_MANAGER))
    user = User.objects.get(pk=user.pk)
    assert user.has_perm("parking.view_zone")
    assert not user.has_perm("parking.change_zone")
