"""The misread inbox: unmatched entries and exits, each with its three likeliest matches,
resolved or dismissed in one click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anpr import attributes, misreads
from anpr.models import GatePassage, MisreadReview
from damanat import numbers

from .access import page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

PAGE_SIZE = 20


@page("misreads")
def inbox(request: HttpRequest) -> HttpResponse:
    listing = Paginator(misreads.inbox(), PAGE_SIZE).get_page(request.GET.get("page"))
    ranked = misreads.candidates_for(list(listing))
    items = [
        {
            "review": review,
            "attributes": _described(review.passage),
            "candidates": [(c, _described(c.passage)) for c in ranked[review.pk]],
        }
        for review in listing
    ]
    return render(
        request,
        "pages/misreads.html",
        {
            "listing": listing,
            "items": items,
            "may_resolve": misreads.may_resolve(request.user),
        },
    )


def _described(passage: GatePassage) -> list[dict[str, str]]:
    return attributes.describe(misreads.attributes(passage))


@require_POST
@page("misreads")
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not misreads.may_resolve(request.user):
        raise PermissionDenied
    review = get_object_or_404(MisreadReview, pk=pk)
    if action == "resolve":
        _resolve(request, review)
    elif action == "dismiss":
        _dismiss(request, review)
    else:
        raise PermissionDenied
    page_number = request.POST.get("page", "")
    return redirect(f"{reverse('pages:misreads')}?page={page_number if page_number.isdigit() else 1}")


def _resolve(request: HttpRequest, review: MisreadReview) -> None:
    candidate = get_object_or_404(GatePassage, pk=request.POST.get("candidate") or 0)
    try:
        visit = misreads.resolve(review, candidate, by=request.user)
    except misreads.CannotResolve as exc:
        messages.error(request, str(exc))
        return
    messages.success(
        request,
        _("Paired: %(plate)s parked %(minutes)s min.")
        % {"plate": visit.plate_display, "minutes": numbers.number(visit.duration_minutes)},
    )


def _dismiss(request: HttpRequest, review: MisreadReview) -> None:
    if misreads.dismiss(review, by=request.user):
        messages.success(request, _("Item dismissed."))
    else:
        messages.error(request, _("This item was settled already."))
