"""Admin actions are secure by default: one that declares no permissions needs "change".

Django offers an action without ``allowed_permissions`` to everyone who may view the
list, so a read-only role could approve cameras or revoke detector tokens. This runs
once the admin has discovered every app's registrations.
"""

from __future__ import annotations

from django.contrib import admin

DEFAULT_ACTION_PERMISSIONS = ("change",)


def require_change_for_undeclared_actions(site: admin.AdminSite = admin.site) -> list[str]:
    """Give every action without declared permissions the default; returns the ones changed."""
    changed = []
    for model_admin in site._registry.values():
        for name in model_admin.actions or []:
            action = name if callable(name) else getattr(type(model_admin), name, None)
            if action is None or hasattr(action, "allowed_permissions"):
                continue
            action.allowed_permissions = DEFAULT_ACTION_PERMISSIONS
            changed.append(f"{type(model_admin).__name__}.{getattr(action, '__name__', name)}")
    return changed
