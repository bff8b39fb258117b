"""Camera admin actions: test connection, provision now (anpr adds sync plates).

They run at once for the selected cameras (an installer wants the answer on the
page) and report one message per camera.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .check import check_camera
from .outcome import Outcome
from .push import provision_push

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

PROVISION_PERMISSION = "cameras.provision_camera"


def report_outcome(modeladmin: admin.ModelAdmin, request: HttpRequest, outcome: Outcome) -> None:
    code = outcome.camera.code
    if not outcome.ok:
        modeladmin.message_user(request, f"{code}: {outcome.error}", messages.ERROR)
        return
    text = f"{code}: {'; '.join(outcome.steps[-3:])}"
    if outcome.warnings:
        text += f" — {'; '.join(outcome.warnings)}"
    modeladmin.message_user(request, text, messages.WARNING if outcome.warnings else messages.SUCCESS)


class ProvisioningActions:
    def require_provision_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm(PROVISION_PERMISSION):
            raise PermissionDenied

    @admin.action(description=_("Test connection"))
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for camera in queryset:
            result = check_camera(camera)
            if result.ok:
                self.message_user(
                    request,
                    f"{camera.code}: {result.status}, {result.model}, "
                    f"{result.firmware}; webhook {result.webhook}",
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, f"{camera.code}: {result.status} ({result.hint})", messages.ERROR)

    @admin.action(description=_("Provision now (push settings and triggers)"))
    def provision_now(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self.require_provision_permission(request)
        for camera in queryset:
            report_outcome(self, request, provision_push(camera))
