"""The alert quality scorecard page: precision, response times, guards and suggestions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.scorecard import scorecard

from .access import page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

TABLES = [
    ("rule", _("Per rule")),
    ("camera", _("Per camera")),
    ("zone", _("Per zone")),
    ("detector", _("Per detector service")),
]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[datetime, datetime]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=29)
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(start, time.min, zone),
            datetime.combine(end + timedelta(days=1), time.min, zone),
        )


@page("scorecard")
def scorecard_page(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    card = scorecard(*form.period())
    return render(
        request,
        "pages/scorecard.html",
        {
            "form": form,
            "card": card,
            "tables": [(label, card.tables[name]) for name, label in TABLES],
        },
    )
