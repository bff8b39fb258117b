"""Staff roles: the groups and the Django permissions each one holds.

The map is declarative and uses shell-style patterns over "app_label.codename", so a
model another app adds later is covered without editing this file. The roles migration
applies it once and a post_migrate hook applies it after every migrate, picking up the
permissions Django created for newly migrated models. Permissions are only ever added:
an administrator's manual grants in the admin survive.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.contrib.auth.models import Group, Permission

SECURITY_STAFF = "Security staff"
SECURITY_SUPERVISOR = "Security supervisor"
FACILITY_MANAGER = "Facility manager"
ADMINISTRATOR = "Administrator"

DOMAIN_APPS = ("cameras", "parking", "alerts", "anpr", "detectors", "integrations", "damanat")
SEE_EVERYTHING = [f"{app}.view_*" for app in DOMAIN_APPS]

# Watch everything, manage plates, acknowledge / assign / comment / resolve alerts.
GUARD_DUTIES = [
    *SEE_EVERYTHING,
    "alerts.change_alert",
    "alerts.acknowledge_alert",
    "alerts.assign_alert",
    "alerts.comment_alert",
    "alerts.resolve_alert",
    "anpr.add_vehicle",
    "anpr.change_vehicle",
    "anpr.delete_vehicle",
    "detectors.change_crimereport",  # confirm, hand over or dismiss a detector's report
]
# Evidence bundles leave the building and put cases on legal hold: supervisors and managers
# export them, guards do not.
HAND_OVER_EVIDENCE = ["evidence.view_evidenceexport", "evidence.add_evidenceexport"]

ROLES: dict[str, list[str]] = {
    SECURITY_STAFF: GUARD_DUTIES,
    SECURITY_SUPERVISOR: [*GUARD_DUTIES, *HAND_OVER_EVIDENCE],
    # Dashboards and reports, read-only; and the hand-over of evidence.
    FACILITY_MANAGER: [*SEE_EVERYTHING, *HAND_OVER_EVIDENCE],
    # Cameras, zones, notification channels and exporters, detector services, users.
    ADMINISTRATOR: [
        *SEE_EVERYTHING,
        "cameras.*",
        "parking.*",
        "alerts.*_notificationchannel",
        "alerts.*_channel*",
        "alerts.*_backtestrun",  # who changes zones and rules backtests the change first
        "detectors.*",
        "integrations.*",
        "operations.*",  # audit trail, retention policies, legal holds
        "auth.*_user",
        "auth.*_group",
        "authtoken.*",
        "axes.*",  # sign-in lockouts: deleting an attempt unlocks that user and address
    ],
}

ROLE_LABELS = {
    SECURITY_STAFF: _("Security staff"),
    SECURITY_SUPERVISOR: _("Security supervisor"),
    FACILITY_MANAGER: _("Facility manager"),
    ADMINISTRATOR: _("Administrator"),
}


def role_grants(role: str, codename: str) -> bool:
    return any(fnmatchcase(codename, pattern) for pattern in ROLES[role])


def apply_roles(group_model: type[Group], permission_model: type[Permission]) -> None:
    """Create the role groups and add every existing permission their patterns match."""
    perms = list(
        permission_model.objects.select_related("content_type").values_list(
            "id", "content_type__app_label", "codename"
        )
    )
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role)
        wanted = {pk for pk, app, code in perms if role_grants(role, f"{app}.{code}")}
        have = set(group.permissions.values_list("id", flat=True))
        if wanted - have:
            group.permissions.add(*(wanted - have))


def apply_roles_after_migrate(sender: object, apps: Apps | None = None, **kwargs: Any) -> None:
    """post_migrate runs once per app, after Django created that app's permissions.

    ``flush`` (and so every transactional test) sends it without ``apps``: the groups are
    recreated from the installed models then.
    """
    if apps is None:
        from django.apps import apps
    try:
        apply_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
    except LookupError:
        return
