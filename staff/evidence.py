"""Evidence bundles on the staff pages: the list of exports, and exporting a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from damanat import numbers
from evidence.cases import load_subject
from evidence.exporting import export_bundle
from evidence.models import EvidenceExport, Subject

from .access import page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

EXPORT_PERMISSION = "evidence.add_evidenceexport"


@page("evidence")
def evidence_list(request: HttpRequest) -> HttpResponse:
    exports = EvidenceExport.objects.select_related("exported_by")
    listing = Paginator(exports, 50).get_page(request.GET.get("page"))
    return render(request, "pages/evidence.html", {"listing": listing})


@require_POST
@page("evidence")
def export(request: HttpRequest, subject_type: str, pk: int) -> HttpResponse:
    if subject_type not in Subject.values:
        raise Http404
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    done = export_bundle(load_subject(subject_type, pk), by=request.user)
    messages.success(
        request,
        _("Evidence bundle #%(id)s exported; the case is on legal hold.") % {"id": numbers.digits(done.pk)},
    )
    return redirect("pages:evidence")
