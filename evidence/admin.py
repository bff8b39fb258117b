"""Evidence exports (read-only) and the "Export evidence bundle" action on alerts, visits and
crime reports. The action is added to those apps' admins from here: they sit below evidence
and do not know it."""

from __future__ import annotations

from types import MethodType
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .cases import SUBJECT_MODELS
from .exporting import export_bundle
from .models import EvidenceExport

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

EXPORT_PERMISSION = "evidence.add_evidenceexport"


@admin.register(EvidenceExport)
class EvidenceExportAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "subject_type",
        "subject_id",
        "exported_by",
        "created_at",
        "size",
        "short_sha256",
        "download",
    )
    list_filter = ("subject_type", "created_at")
    search_fields = ("subject_id", "sha256", "exported_by__username")
    list_select_related = ("exported_by",)
    readonly_fields = (
        "subject_type",
        "subject_id",
        "sha256",
        "size",
        "key_id",
        "exported_by",
        "created_at",
        "download",
    )
    exclude = ("file",)

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, obj: EvidenceExport) -> str:
        return obj.sha256[:16]

    @admin.display(description=_("archive"))
    def download(self, obj: EvidenceExport) -> str:
        if not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("evidence:export-download", args=[obj.pk]), obj.filename
        )

    # A record of a hand-over: written by the export, never edited or removed by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EvidenceExport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EvidenceExport | None = None) -> bool:
        return False


@admin.action(description=_("Export evidence bundle"), permissions=["export_evidence"])
def export_evidence_bundle(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponse | None:
    for subject in queryset:
        export = export_bundle(subject, by=request.user)
        link = reverse("evidence:export-download", args=[export.pk])
        model_admin.message_user(
            request,
            format_html(
                _('{} exported and put on legal hold: <a href="{}">{}</a>'), subject, link, export.filename
            ),
            messages.SUCCESS,
        )


def _may_export(model_admin: admin.ModelAdmin, request: HttpRequest) -> bool:
    return request.user.has_perm(EXPORT_PERMISSION)


def add_export_action() -> None:
    for model in SUBJECT_MODELS.values():
        model_admin = admin.site.get_model_admin(model)
        model_admin.actions = [*(model_admin.actions or []), export_evidence_bundle]
        model_admin.has_export_evidence_permission = MethodType(_may_export, model_admin)


add_export_action()
