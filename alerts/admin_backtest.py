"""Admin for rule backtests: start one from a draft (or from the zone admin), watch it, read it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .backtest import shown
from .backtest_forms import BacktestForm
from .models import BacktestRun

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@admin.register(BacktestRun)
class BacktestRunAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "rule_label",
        "zone",
        "days",
        "status",
        "progress",
        "draft_total",
        "current_total",
        "requested_by",
        "created_at",
    )
    list_filter = ("status", "rule")
    search_fields = ("zone__code", "zone__name", "requested_by__username")
    list_select_related = ("zone", "requested_by")
    readonly_fields = (
        "rule",
        "zone",
        "days",
        "params",
        "status",
        "progress",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "error",
        "result_table",
    )
    fields = readonly_fields
    change_form_template = "alerts/admin/backtest_change_form.html"

    @admin.display(description=_("progress"))
    def progress(self, run: BacktestRun) -> str:
        return f"{run.percent} % ({run.progress_done:,} / {run.progress_total:,})"

    @admin.display(description=_("draft rule would raise"))
    def draft_total(self, run: BacktestRun) -> object:
        return run.results.get("totals", {}).get("draft", "—")

    @admin.display(description=_("current rule raises"))
    def current_total(self, run: BacktestRun) -> object:
        return run.results.get("totals", {}).get("current", "—")

    @admin.display(description=_("results"))
    def result_table(self, run: BacktestRun) -> str:
        return render_to_string("alerts/backtest_results.html", {"run": run, "shown": shown(run)})

    def has_change_permission(self, request: HttpRequest, obj: BacktestRun | None = None) -> bool:
        return False  # a run is a record: start another one instead

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BacktestForm(request.POST or None, initial={"days": 30, **request.GET.dict()})
        if request.method == "POST" and form.is_valid():
            run = form.start(request.user)
            return redirect("admin:alerts_backtestrun_change", run.pk)
        return TemplateResponse(
            request,
            "alerts/admin/backtest_add.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Backtest a rule change"),
                "form": form,
                "opts": self.model._meta,
            },
        )
