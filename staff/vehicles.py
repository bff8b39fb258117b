"""Vehicle lookup: a plate in either script → registration, validity, recent visits, open alerts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render
from django.utils import timezone

from alerts.models import Alert
from anpr import plates
from anpr.models import Vehicle, Visit
from anpr.services import identify, today

from .access import page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

RECENT_VISITS = 20
PARTIAL_MATCHES = 20


def lookup(text: str) -> dict:
    canonical = plates.canonical_plate(text)
    identity = identify(canonical)
    vehicle = identity.vehicle
    plate = vehicle.plate if vehicle else canonical
    candidates = {plate, canonical} - {""}
    visits = recent_visits(candidates)
    return {
        "canonical": canonical,
        "plate_display": plates.latin_display(plate) if plate else "",
        "plate_arabic": plates.arabic_display(plate) if plate else "",
        "vehicle": vehicle,
        "match": identity.match,
        "valid_today": vehicle.is_valid_on(today()) if vehicle else None,
        "visits": visits,
        "inside": next((v for v in visits if v.status == Visit.Status.OPEN), None),
        "last_exit": next((v for v in visits if v.exited_at), None),
        "alerts": list(
            Alert.objects.active()
            .filter(plate__in=candidates | {plates.latin_display(plate)})
            .order_by("-last_seen_at")[:RECENT_VISITS]
        )
        if candidates
        else [],
    }


def recent_visits(candidates: set[str]) -> list[Visit]:
    if not candidates:
        return []
    return list(
        Visit.objects.for_plates(candidates)
        .select_related("entry__camera", "exit__camera")
        .order_by("-entered_at", "-id")[:RECENT_VISITS]
    )


@page("vehicles")
def vehicles(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("plate", "").strip()
    context = {
        "text": text,
        "may_manage": request.user.has_perm("anpr.change_vehicle"),
        "now": timezone.now(),
    }
    if text:
        context["result"] = lookup(text)
        found = context["result"]["vehicle"]
        context["similar"] = list(
            Vehicle.objects.search(text).exclude(pk=getattr(found, "pk", None))[:PARTIAL_MATCHES]
        )
    return render(request, "pages/vehicles.html", context)
