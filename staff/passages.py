"""The entry/exit log: gate passages filtered by plate (either script), days, gate, category;
their pictures; a CSV of exactly what the filters select."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import django_filters
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anpr.filtersets import GatePassageFilterSet
from anpr.models import Gate, GatePassage, PassageCategory
from damanat import csv_cells

from .access import page
from .forms import DateRangeForm

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponseBase

PAGE_SIZE = 50
CSV_LIMIT = 100_000


class LogRangeForm(DateRangeForm):
    default_days = 1


class LogFilterSet(GatePassageFilterSet):
    """The API's filters, with one category at a time and "All" in both boxes on the page."""

    gate = django_filters.ChoiceFilter(choices=Gate.choices, empty_label=gettext_lazy("All"))
    category = django_filters.ChoiceFilter(choices=PassageCategory.choices, empty_label=gettext_lazy("All"))


def log_queryset() -> QuerySet[GatePassage]:
    return (
        GatePassage.objects.select_related("camera", "vehicle")
        .prefetch_related("event__pictures")
        .order_by("-occurred_at", "-id")
    )


def filtered_passages(request: HttpRequest) -> tuple:
    """(passages, filterset, range form): the anpr FilterSet plus a range of facility days."""
    days = LogRangeForm.with_defaults(request.GET)
    passages = log_queryset()
    if days.is_valid():
        passages = passages.filter(
            local_date__gte=days.cleaned_data["start"], local_date__lte=days.cleaned_data["end"]
        )
    else:
        passages = passages.none()
    filterset = LogFilterSet(request.GET, queryset=passages)
    return filterset.qs, filterset, days


@page("log")
def log(request: HttpRequest) -> HttpResponseBase:
    passages, filterset, days = filtered_passages(request)
    if request.GET.get("format") == "csv":
        return log_csv(passages)
    listing = Paginator(passages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pages/log.html", {"filter": filterset, "days": days, "listing": listing})


class _Echo:
    def write(self, value: str) -> str:
        return value


def log_csv(passages: QuerySet[GatePassage]) -> StreamingHttpResponse:
    """Times in the facility's zone with their offset, digits Latin: for spreadsheets."""
    writer = csv_cells.writer(_Echo())
    header = [
        _("time"),
        _("gate"),
        _("plate"),
        _("plate (Arabic)"),
        _("plate as read"),
        _("confidence"),
        _("category"),
        _("owner"),
        _("camera"),
        _("pictures"),
    ]

    def rows() -> Iterator[str]:
        yield writer.writerow(header)
        for p in passages[:CSV_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(csv_row(p))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="entry-exit-log.csv"'
    return response


def csv_row(p: GatePassage) -> list:
    pictures = " ".join(pic.image.url for pic in p.event.pictures.all()) if p.event else ""
    return [
        timezone.localtime(p.occurred_at).isoformat(),
        p.get_gate_display(),
        p.plate_display,
        p.plate_arabic,
        p.raw_plate,
        "" if p.confidence is None else p.confidence,
        p.get_category_display(),
        p.vehicle.owner_name if p.vehicle else "",
        p.camera.code if p.camera else "",
        pictures,
    ]
