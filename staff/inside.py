"""Who is inside now: the open visits, with plate in both scripts, category, time in and
duration, filtered by category and by the floor of the gate they came through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anpr.models import PassageCategory, Visit
from parking.models import Floor

from .access import page

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

PAGE_SIZE = 50


class InsideFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *PassageCategory.choices]
    )
    floor = forms.ModelChoiceField(
        label=_("Floor"), required=False, empty_label=_("All"), queryset=Floor.objects.active()
    )

    def filter(self, visits: QuerySet[Visit]) -> QuerySet[Visit]:
        if not self.is_valid():
            return visits.none()
        if self.cleaned_data["category"]:
            visits = visits.filter(category=self.cleaned_data["category"])
        if self.cleaned_data["floor"]:
            visits = visits.filter(entry__camera__zones__floor=self.cleaned_data["floor"]).distinct()
        return visits


def inside_now() -> QuerySet[Visit]:
    return Visit.objects.open().select_related("vehicle", "entry__camera").order_by("-entered_at", "-id")


@page("inside")
def inside(request: HttpRequest) -> HttpResponse:
    form = InsideFilterForm(request.GET)
    visits = form.filter(inside_now())
    listing = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pages/inside.html", {"form": form, "listing": listing, "now": timezone.now()})
