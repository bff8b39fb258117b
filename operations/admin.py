from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from damanat.admin_readonly import ReadOnlyAdminMixin

from .models import AuditEntry, LegalHold, RetentionPolicy

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.utils.safestring import SafeString


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "username", "source", "action", "content_type", "object_repr")
    list_filter = ("action", "source", "content_type")
    search_fields = ("username", "object_repr", "object_id")
    list_select_related = ("content_type",)
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "user",
        "username",
        "source",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes_table",
    )
    exclude = ("changes",)

    @admin.display(description=_("changes"))
    def changes_table(self, obj: AuditEntry) -> SafeString:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (name, json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False))
                for name, (old, new) in obj.changes.items()
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("field"),
            _("old"),
            _("new"),
            rows,
        )


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ("content_type", "object_id", "reason", "placed_by", "placed_at", "released_at")
    list_filter = ("content_type", ("released_at", admin.EmptyFieldListFilter))
    search_fields = ("object_id", "reason")
    list_select_related = ("content_type", "placed_by")
    readonly_fields = ("placed_by", "placed_at", "released_by", "released_at")
    actions = ["release"]

    def save_model(self, request: HttpRequest, obj: LegalHold, form: Any, change: bool) -> None:
        if not change:
            obj.placed_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Release selected holds"))
    def release(self, request: HttpRequest, queryset: QuerySet[LegalHold]) -> None:
        queryset.filter(released_at=None).update(released_by=request.user, released_at=timezone.now())


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("data_type", "keep_days", "enabled", "last_run_at", "last_deleted")
    list_editable = ("keep_days", "enabled")
    readonly_fields = ("last_run_at", "last_deleted")
