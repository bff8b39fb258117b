from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from damanat import numbers
from damanat.admin_readonly import ReadOnlyAdminMixin
from damanat.admin_secrets import SecretsAdminMixin
from damanat.bilingual_admin import BilingualNameAdmin

from .forms import CameraAdminForm
from .models import Camera, CameraDrift, CameraEvent, EventPicture
from .provisioning.admin_actions import ProvisioningActions

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.utils.safestring import SafeString
    from django_stubs_ext import StrOrPromise


class CameraDriftInline(admin.TabularInline):
    model = CameraDrift
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("detected_at", "setting", "expected", "found", "repaired", "error")
    readonly_fields = fields
    ordering = ["-detected_at"]


@admin.register(Camera)
class CameraAdmin(SecretsAdminMixin, BilingualNameAdmin, ProvisioningActions, admin.ModelAdmin):
    form = CameraAdminForm
    list_display = (
        "code",
        "name",
        "role",
        "ip_address",
        "approval",
        "enabled",
        "health",
        "last_seen_at",
        "firmware_version",
        "provisioning",
        "plate_sync",
    )
    list_filter = ("role", "approval", "enabled", "health", "push_configured", "phase")
    search_fields = ("code", "name", "name_ar", "ip_address", "serial_number", "mac_address")
    readonly_fields = (
        "last_seen_at",
        "last_event_at",
        "last_heartbeat_at",
        "heartbeat_count",
        "health",
        "health_detail",
        "health_checked_at",
        "unreachable_since",
        "push_configured",
        "push_checked_at",
        "provisioned_at",
        "plates_synced_at",
        "plate_sync_error",
        "plate_sync_note",
        "plate_write_form",
        "provision_error",
        "alarm_until",
        "created_at",
    )
    inlines = [CameraDriftInline]
    actions = ["approve_cameras", "test_connection", "provision_now"]

    @admin.display(description=_("push configured"), ordering="push_configured")
    def provisioning(self, camera: Camera) -> StrOrPromise:
        if camera.provision_error:
            return _failed(_("Failed: %(error)s") % {"error": camera.provision_error})
        return _("Yes") if camera.push_configured else _("No")

    @admin.display(description=_("plate lists"), ordering="plates_synced_at")
    def plate_sync(self, camera: Camera) -> StrOrPromise:
        if not camera.is_gate or camera.plate_list_mode == Camera.PlateListMode.NONE:
            return "—"
        if camera.plate_sync_error:
            return _failed(_("Sync failed: %(error)s") % {"error": camera.plate_sync_error})
        if camera.plates_synced_at is None:
            return _("Never synced")
        synced = _("Synced %(at)s") % {
            "at": date_format(timezone.localtime(camera.plates_synced_at), "SHORT_DATETIME_FORMAT")
        }
        return f"{synced} — {camera.plate_sync_note}" if camera.plate_sync_note else synced

    @admin.action(description=_("Approve selected discovered cameras"))
    def approve_cameras(self, request: HttpRequest, queryset: QuerySet[Camera]) -> None:
        for camera in queryset:
            camera.approve()
        n = queryset.count()
        self.message_user(
            request,
            numbers.counted(ngettext("%(n)s camera approved.", "%(n)s cameras approved.", n), n),
            messages.SUCCESS,
        )


def _failed(text: str) -> SafeString:
    return format_html('<strong style="color:var(--error-fg, #ba2121)">✗ {}</strong>', text)


class EventPictureInline(admin.TabularInline):
    model = EventPicture
    extra = 0
    can_delete = False
    fields = ("preview", "name", "content_type", "size", "sha256")
    readonly_fields = fields

    @admin.display(description=_("picture"))
    def preview(self, obj: EventPicture) -> SafeString:
        return format_html('<a href="{0}"><img src="{0}" style="max-height:120px"></a>', obj.image.url)


@admin.register(CameraEvent)
class CameraEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "received_at",
        "camera",
        "source_ip",
        "event_type",
        "region_id",
        "detection_target",
        "plate",
        "status",
    )
    list_filter = ("status", "event_type", "camera", "trigger_time_flagged")
    search_fields = ("plate", "region_id", "device_serial", "source_ip", "reason")
    list_select_related = ("camera",)
    date_hierarchy = "received_at"
    inlines = [EventPictureInline]
    exclude = ("raw_body",)
    readonly_fields = [f.name for f in CameraEvent._meta.fields if f.name != "raw_body"] + ["body"]
    deletable = True

    @admin.display(description=_("raw body"))
    def body(self, obj: CameraEvent) -> SafeString:
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", obj.body_text[:20000])
