"""Demo staff accounts, one per role, with fresh passwords printed on each run."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, User

from .roles import ADMINISTRATOR, FACILITY_MANAGER, SECURITY_STAFF

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

DEMO_STAFF = [
    ("guard", SECURITY_STAFF, "ar"),
    ("manager", FACILITY_MANAGER, "en"),
    ("sysadmin", ADMINISTRATOR, "en"),
]


def load(out: OutputWrapper) -> None:
    from .models import StaffProfile

    lines = []
    for username, role, language in DEMO_STAFF:
        user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        StaffProfile.objects.update_or_create(user=user, defaults={"language": language})
        lines.append(f"{username}/{password} ({role})")
    out.write("staff: " + ", ".join(lines))
