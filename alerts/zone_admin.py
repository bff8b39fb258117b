"""The zone admin with the rule backtest: a draft of a zone's settings tried before it is saved."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parking.admin import ZoneAdmin
from parking.models import Zone

from .backtest_forms import start_for_zone_edit


class BacktestedZoneAdmin(ZoneAdmin):
    actions = [*ZoneAdmin.actions, "backtest_change"]

    @admin.action(description=_("Backtest a change to the selected zone"), permissions=["backtest"])
    def backtest_change(self, request: HttpRequest, queryset: QuerySet[Zone]) -> HttpResponse:
        """To the backtest form with the zone chosen: the draft is tried before it is saved."""
        zone = queryset.first()
        return redirect(f"{reverse('admin:alerts_backtestrun_add')}?rule=zone&zone={zone.pk}")

    def has_backtest_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("alerts.add_backtestrun")

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and "_backtest" in request.POST and object_id:
            return self.backtest_edit(request, object_id)
        extra_context = {**(extra_context or {}), "may_backtest": self.has_backtest_permission(request)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def backtest_edit(self, request: HttpRequest, object_id: str | None) -> HttpResponse:
        """The form's edits backtested instead of saved: the zone keeps its settings."""
        zone = self.get_object(request, object_id)
        if zone is None or not self.has_backtest_permission(request):
            raise PermissionDenied
        # The form validates a copy: it writes its values onto its instance.
        form_class = self.get_form(request, zone, change=True)
        form = form_class(request.POST, request.FILES, instance=copy.copy(zone))
        if not form.is_valid():
            return super().changeform_view(request, object_id)  # shows the errors; saves nothing
        edited = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form.changed_data and value != getattr(zone, name, None)
        }
        runs = start_for_zone_edit(zone, edited, request.user)
        if not runs:
            self.message_user(
                request,
                _(
                    "Change the kind, targets, line, hours or capacity first: "
                    "nothing the rules read was changed."
                ),
                messages.WARNING,
            )
            return redirect(request.get_full_path())
        return redirect("admin:alerts_backtestrun_change", runs[0].pk)


admin.site.unregister(Zone)
admin.site.register(Zone, BacktestedZoneAdmin)
