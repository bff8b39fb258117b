"""Admin for security staff: alerts with bulk lifecycle actions, channels, deliveries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from damanat import numbers
from damanat.admin_readonly import SystemWrittenMixin
from damanat.admin_secrets import SecretsAdminMixin

from . import (
    admin_backtest,  # noqa: F401 — registers the backtest admin
    fanout,
    zone_admin,  # noqa: F401 — the zone admin with its backtest
)
from .choices import Activity, Outcome
from .forms import ChannelAdminForm, NoteForm
from .models import Alert, AlertActivity, Delivery, DeliveryAttempt, NotificationChannel, TransitionNotAllowed
from .transports import TransportError

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest
    from django.utils.functional import Promise
    from django.utils.safestring import SafeString
    from django_stubs_ext import StrOrPromise

SEVERITY_COLOURS = {"low": "#6c757d", "medium": "#b58900", "high": "#d9480f", "critical": "#c92a2a"}


class HistoryInline(admin.TabularInline):
    """The alert's history; staff who may comment add lines here."""

    model = AlertActivity
    fields = ("at", "action", "user", "text")
    readonly_fields = ("at", "action", "user")
    extra = 0
    can_delete = False
    verbose_name = _("history / comment")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Whoever may see the alert sees its history (the activity model has no role of its own).
        return request.user.has_perm("alerts.view_alert")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.has_perm("alerts.comment_alert")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class DeliveryInline(SystemWrittenMixin, admin.TabularInline):
    model = Delivery
    fields = ("channel", "reason", "status", "attempts", "sent_at", "last_status_code", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


def _bulk_with_note(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    title: StrOrPromise,
    apply: Callable[..., Any],
) -> TemplateResponse | None:
    """Ask for a note on an intermediate page, then apply the change to each selected alert."""
    form = NoteForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "alerts/admin/bulk_note.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": title,
                "form": form,
                "alerts": queryset,
                "action": request.POST.get("action"),
                "opts": modeladmin.model._meta,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )
    done, skipped = 0, 0
    for alert in queryset:
        try:
            apply(alert, form.cleaned_data["note"])
            done += 1
        except TransitionNotAllowed:
            skipped += 1
    modeladmin.message_user(
        request,
        numbers.counted(ngettext("%(n)s alert updated.", "%(n)s alerts updated.", done), done),
        messages.SUCCESS,
    )
    if skipped:
        modeladmin.message_user(
            request,
            numbers.counted(
                ngettext(
                    "%(n)s alert skipped: its status does not allow this.",
                    "%(n)s alerts skipped: their status does not allow this.",
                    skipped,
                ),
                skipped,
            ),
            messages.WARNING,
        )
    return None


@admin.register(Alert)
class AlertAdmin(SystemWrittenMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "severity_badge",
        "status",
        "heading",
        "camera_code",
        "zone",
        "plate",
        "occurrences",
        "last_seen_at",
        "assigned_to",
    )
    list_display_links = ("id", "heading")
    list_filter = ("status", "outcome", "kind", "severity", "camera", "zone", "first_seen_at")
    search_fields = ("plate", "title", "zone__code", "zone__name", "camera__code", "camera__name")
    list_select_related = ("camera", "zone", "assigned_to")
    date_hierarchy = "first_seen_at"
    fields = (
        "kind",
        "severity",
        "status",
        "heading",
        "details",
        "camera",
        "zone",
        "plate",
        "source_event",
        "event_type",
        "first_seen_at",
        "last_seen_at",
        "occurrences",
        "acknowledged_by",
        "acknowledged_at",
        "assigned_to",
        "assigned_at",
        "resolved_by",
        "resolved_at",
        "resolution_note",
        "outcome",
    )
    readonly_fields = fields
    inlines = [HistoryInline, DeliveryInline]
    actions = [
        "acknowledge_selected",
        "resolve_selected",
        "false_positive_selected",
        "duplicate_selected",
        "test_selected",
    ]

    @admin.display(description=_("severity"), ordering="severity")
    def severity_badge(self, alert: Alert) -> SafeString:
        return format_html(
            '<b style="color:{}">{}</b>',
            SEVERITY_COLOURS.get(alert.severity, "#000"),
            alert.get_severity_display(),
        )

    @admin.display(description=_("title"), ordering="title")
    def heading(self, alert: Alert) -> str:
        return alert.shown_title

    @admin.display(description=_("description"))
    def details(self, alert: Alert) -> str:
        return alert.shown_description

    @admin.display(description=_("camera"), ordering="camera__code")
    def camera_code(self, alert: Alert) -> str | None:
        return alert.camera.code if alert.camera else None

    def has_change_permission(self, request: HttpRequest, obj: Alert | None = None) -> bool:
        return super().has_change_permission(request, obj) or request.user.has_perm("alerts.comment_alert")

    def has_acknowledge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("alerts.acknowledge_alert")

    def has_resolve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("alerts.resolve_alert")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        entries = formset.save(commit=False)
        for entry in entries:
            entry.action, entry.user = Activity.COMMENTED, request.user
            entry.save()

    @admin.action(description=_("Acknowledge selected alerts"), permissions=["acknowledge"])
    def acknowledge_selected(
        self, request: HttpRequest, queryset: QuerySet[Alert]
    ) -> TemplateResponse | None:
        return _bulk_with_note(
            self,
            request,
            queryset,
            _("Acknowledge alerts"),
            lambda alert, note: alert.acknowledge(by=request.user, note=note),
        )

    @admin.action(description=_("Resolve selected alerts"), permissions=["resolve"])
    def resolve_selected(self, request: HttpRequest, queryset: QuerySet[Alert]) -> TemplateResponse | None:
        return _bulk_with_note(
            self,
            request,
            queryset,
            _("Resolve alerts"),
            lambda alert, note: alert.resolve(by=request.user, note=note),
        )

    @admin.action(description=_("Mark selected alerts as false positives"), permissions=["resolve"])
    def false_positive_selected(
        self, request: HttpRequest, queryset: QuerySet[Alert]
    ) -> TemplateResponse | None:
        return _bulk_with_note(
            self,
            request,
            queryset,
            _("Mark alerts as false positives"),
            lambda alert, note: alert.mark_false_positive(by=request.user, note=note),
        )

    @admin.action(description=_("Resolve selected alerts as duplicates"), permissions=["resolve"])
    def duplicate_selected(self, request: HttpRequest, queryset: QuerySet[Alert]) -> TemplateResponse | None:
        return _bulk_with_note(
            self,
            request,
            queryset,
            _("Resolve alerts as duplicates"),
            lambda alert, note: alert.resolve(by=request.user, note=note, outcome=Outcome.DUPLICATE),
        )

    @admin.action(description=_("Resolve selected alerts as tests"), permissions=["resolve"])
    def test_selected(self, request: HttpRequest, queryset: QuerySet[Alert]) -> TemplateResponse | None:
        return _bulk_with_note(
            self,
            request,
            queryset,
            _("Resolve alerts as tests"),
            lambda alert, note: alert.resolve(by=request.user, note=note, outcome=Outcome.TEST),
        )


@admin.register(NotificationChannel)
class NotificationChannelAdmin(SecretsAdminMixin, admin.ModelAdmin):
    form = ChannelAdminForm
    list_display = (
        "name",
        "kind",
        "enabled",
        "health",
        "min_severity",
        "last_success_at",
        "last_error_at",
        "short_error",
    )
    list_filter = ("kind", "enabled", "disabled_by_failure")
    search_fields = ("name", "url", "recipients", "mqtt_host")
    readonly_fields = (
        "disabled_by_failure",
        "last_error",
        "last_error_at",
        "last_success_at",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ("zones",)
    actions = ["reenable_selected", "send_test"]
    fieldsets = [
        (None, {"fields": ("name", "kind", "enabled")}),
        (_("Which alerts"), {"fields": ("alert_kinds", "min_severity", "zones")}),
        (_("Webhook"), {"fields": ("url", "secret", "bearer_token", "timeout_seconds")}),
        (_("Email"), {"fields": ("recipients", "language")}),
        (
            _("MQTT"),
            {"fields": ("mqtt_host", "mqtt_port", "mqtt_username", "mqtt_password", "mqtt_topic_prefix")},
        ),
        (
            _("Health"),
            {
                "fields": (
                    "disabled_by_failure",
                    "last_error",
                    "last_error_at",
                    "last_success_at",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    ]

    @admin.display(description=_("health"), ordering="disabled_by_failure")
    def health(self, channel: NotificationChannel) -> str | Promise:
        if channel.disabled_by_failure:
            return format_html('<b style="color:#c92a2a">{}</b>', _("Disabled by failure"))
        if not channel.enabled:
            return _("Off")
        return format_html('<span style="color:#2b8a3e">{}</span>', _("Active"))

    @admin.display(description=_("last error"))
    def short_error(self, channel: NotificationChannel) -> str:
        return channel.last_error[:80]

    @admin.action(description=_("Re-enable selected channels"), permissions=["change"])
    def reenable_selected(self, request: HttpRequest, queryset: QuerySet[NotificationChannel]) -> None:
        for channel in queryset:
            channel.reenable()
        self.message_user(request, _("Channels re-enabled."), messages.SUCCESS)

    @admin.action(description=_("Send a test message now"), permissions=["change"])
    def send_test(self, request: HttpRequest, queryset: QuerySet[NotificationChannel]) -> None:
        for channel in queryset:
            try:
                result = fanout.send_test(channel)
            except TransportError as exc:
                self.message_user(request, f"{channel}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{channel}: {result.detail}", messages.SUCCESS)


class AttemptInline(SystemWrittenMixin, admin.TabularInline):
    model = DeliveryAttempt
    fields = ("started_at", "outcome", "status_code", "duration_ms", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(SystemWrittenMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "alert",
        "channel",
        "reason",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_status_code",
        "created_at",
    )
    list_filter = ("status", "reason", "channel")
    search_fields = ("=event_id", "alert__title", "alert__plate", "last_error")
    list_select_related = ("alert", "channel")
    readonly_fields = (
        "alert",
        "channel",
        "reason",
        "event_id",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_status_code",
        "last_error",
        "created_at",
    )
    inlines = [AttemptInline]
    actions = ["replay_selected"]

    def has_replay_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("alerts.replay_delivery")

    @admin.action(description=_("Replay selected failed deliveries"), permissions=["replay"])
    def replay_selected(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = fanout.replay(queryset)
        self.message_user(
            request,
            numbers.counted(
                ngettext("%(n)s delivery queued again.", "%(n)s deliveries queued again.", count), count
            ),
            messages.SUCCESS,
        )
