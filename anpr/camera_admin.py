"""The camera admin with the gate cameras' plate-list action: the lists follow anpr's registry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cameras.admin import CameraAdmin
from cameras.models import Camera
from cameras.provisioning.admin_actions import report_outcome

from .plate_sync import configure_anpr


class GateCameraAdmin(CameraAdmin):
    actions = [*CameraAdmin.actions, "sync_plates"]

    @admin.action(description=_("Sync plates (gate cameras)"))
    def sync_plates(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self.require_provision_permission(request)
        gates = queryset.model.objects.plate_readers().filter(pk__in=queryset.values("pk"))
        skipped = queryset.exclude(pk__in=gates.values("pk")).count()
        for camera in gates:
            report_outcome(self, request, configure_anpr(camera))
        if skipped:
            self.message_user(
                request,
                _("%d camera(s) skipped: not gate cameras with plate lists.") % skipped,
                messages.WARNING,
            )


admin.site.unregister(Camera)
admin.site.register(Camera, GateCameraAdmin)
