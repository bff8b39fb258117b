"""Rule backtest pages: start a draft rule's replay, follow its progress, read its results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from alerts.backtest import shown
from alerts.backtest_forms import BacktestForm
from alerts.models import BacktestRun

from .access import page

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.http import HttpRequest, HttpResponse

RECENT = 20


def may_start(user: User | AnonymousUser) -> bool:
    return user.has_perm("alerts.add_backtestrun")


@page("backtest")
def backtests(request: HttpRequest) -> HttpResponse:
    """The form (for those who may start one) and the recent runs; POST starts a run."""
    form = BacktestForm(request.POST or None, initial={"days": 30, **request.GET.dict()})
    if request.method == "POST":
        if not may_start(request.user):
            raise PermissionDenied
        if form.is_valid():
            return redirect("pages:backtest-detail", form.start(request.user).pk)
    runs = BacktestRun.objects.select_related("zone", "requested_by")[:RECENT]
    return render(
        request, "pages/backtests.html", {"form": form, "runs": runs, "may_start": may_start(request.user)}
    )


@page("backtest")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(BacktestRun.objects.select_related("zone", "requested_by"), pk=pk)
    return render(request, "pages/backtest.html", {"run": run, "shown": shown(run)})
