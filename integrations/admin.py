from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from damanat import numbers
from damanat.admin_readonly import SystemWrittenMixin
from damanat.admin_secrets import SecretsAdminMixin
from damanat.forms import WriteOnlySecretsForm, secret_field

from . import exporting
from .choices import ExportKind
from .models import AIModelConfig, Exporter, ExportRecord, SensorSetting

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


@admin.register(AIModelConfig)
class AIModelConfigAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "model_type", "enabled", "updated_at")
    list_filter = ("model_type", "enabled")
    search_fields = ("name", "weights_path", "description")
    readonly_fields = ("created_at", "updated_at")


@admin.register(SensorSetting)
class SensorSettingAdmin(admin.ModelAdmin):
    list_display = ("name", "camera", "zone", "model", "enabled", "updated_at")
    list_filter = ("enabled", "camera")
    list_select_related = ("camera", "zone", "model")
    search_fields = ("name", "camera__code", "zone__code")
    autocomplete_fields = ("model",)
    readonly_fields = ("created_at", "updated_at")


class ExporterForm(WriteOnlySecretsForm):
    secret_fields = ("secret", "password")

    event_kinds = forms.MultipleChoiceField(
        label=_("event kinds"), choices=ExportKind.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = secret_field(
        _("secret or token"), _("HMAC key or bearer token. Leave empty to keep the stored one.")
    )
    password = secret_field(_("password"))

    class Meta:
        model = Exporter
        fields = "__all__"


@admin.register(Exporter)
class ExporterAdmin(SecretsAdminMixin, admin.ModelAdmin):
    form = ExporterForm
    list_display = ("name", "transport", "url", "enabled", "last_success_at", "short_error")
    list_filter = ("transport", "enabled", "auth")
    search_fields = ("name", "url")
    readonly_fields = ("last_success_at", "last_error", "last_error_at", "created_at", "updated_at")
    actions = ["send_test", "requeue_failed"]

    @admin.display(description=_("last error"))
    def short_error(self, obj: Exporter) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Send a test record"))
    def send_test(self, request: HttpRequest, queryset: QuerySet[Exporter]) -> None:
        for exporter in queryset:
            outcome = exporting.send_test(exporter)
            level = messages.SUCCESS if outcome["success"] else messages.ERROR
            self.message_user(
                request, f"{exporter}: {outcome['message']} ({outcome['response_time_ms']} ms)", level
            )

    @admin.action(description=_("Send failed records again"))
    def requeue_failed(self, request: HttpRequest, queryset: QuerySet[Exporter]) -> None:
        count = sum(exporting.requeue_failed(exporter) for exporter in queryset)
        exporting.sweep()
        self.message_user(
            request,
            numbers.counted(
                ngettext("%(n)s record queued again.", "%(n)s records queued again.", count), count
            ),
            messages.SUCCESS,
        )


@admin.register(ExportRecord)
class ExportRecordAdmin(SystemWrittenMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "exporter",
        "kind",
        "object_ref",
        "status",
        "attempts",
        "exported_at",
        "last_status_code",
        "created_at",
    )
    list_filter = ("status", "kind", "exporter")
    list_select_related = ("exporter",)
    search_fields = ("object_ref", "event_id", "last_error")
    readonly_fields = [f.name for f in ExportRecord._meta.fields]
