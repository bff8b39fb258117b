from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from damanat import numbers
from damanat.admin_readonly import ReadOnlyAdminMixin
from damanat.bilingual_admin import BilingualNameAdmin

from . import occupancy
from .forms import CorrectCountForm
from .models import Floor, OccupancyChange, OccupancySnapshot, VehicleEvent, Zone

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = (
        "code",
        "name",
        "name_ar",
        "camera",
        "kind",
        "capacity",
        "current_count",
        "configured",
        "is_active",
    )
    readonly_fields = ("current_count",)
    show_change_link = True


@admin.register(Floor)
class FloorAdmin(BilingualNameAdmin, admin.ModelAdmin):
    list_display = (
        "name",
        "name_ar",
        "level",
        "total_slots",
        "occupied",
        "overflow",
        "available",
        "count_source",
        "is_active",
    )
    list_filter = ("is_active", "count_source")
    search_fields = ("name", "name_ar", "description")
    readonly_fields = ("current_vehicles", "created_at", "updated_at")
    inlines = [ZoneInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Floor]:
        return super().get_queryset(request).with_occupancy()

    @admin.display(description=_("vehicles"), ordering="occupied")
    def occupied(self, floor: Floor) -> int:
        return floor.occupied

    @admin.display(description=_("over capacity by"), ordering="overflow")
    def overflow(self, floor: Floor) -> int:
        return floor.overflow

    @admin.display(description=_("available"), ordering="available")
    def available(self, floor: Floor) -> int:
        return floor.available


@admin.register(Zone)
class ZoneAdmin(BilingualNameAdmin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "code",
        "camera",
        "floor",
        "kind",
        "current_count",
        "capacity",
        "percent",
        "configured",
        "is_active",
    )
    list_filter = ("configured", "kind", "floor", "camera", "is_active")
    search_fields = ("code", "name", "name_ar", "camera__code")
    list_select_related = ("camera", "floor")
    readonly_fields = ("current_count", "full_alert_armed", "last_reset_at", "updated_at", "recent_changes")
    actions = ["correct_count"]
    change_list_template = "parking/zone_change_list.html"
    change_form_template = "parking/zone_change_form.html"

    def get_urls(self) -> list:
        board = self.admin_site.admin_view(self.board_view)
        return [path("board/", board, name="parking_zone_board"), *super().get_urls()]

    def board_view(self, request: HttpRequest) -> TemplateResponse:
        """Occupancy board: every floor and zone at a glance, unconfigured zones first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        zones = Zone.objects.select_related("floor").order_by("floor__level", "code")
        return TemplateResponse(
            request,
            "parking/board.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Occupancy board"),
                "opts": self.model._meta,
                "floors": Floor.objects.active().by_availability(),
                "zones": zones.filter(configured=True, is_active=True),
                "unconfigured": zones.unconfigured().select_related("camera"),
            },
        )

    @admin.display(description=_("recent changes"))
    def recent_changes(self, zone: Zone) -> str:
        changes = zone.changes.select_related("user", "camera_event")[:15]
        ledger_url = reverse("admin:parking_occupancychange_changelist") + f"?zone__id__exact={zone.pk}"
        return render_to_string("parking/recent_changes.html", {"changes": changes, "ledger_url": ledger_url})

    @admin.display(description=_("occupancy %"))
    def percent(self, zone: Zone) -> str:
        value = zone.occupancy_percent
        return "—" if value is None else f"{value}%"

    @admin.action(description=_("Correct the count of selected zones"), permissions=["correct"])
    def correct_count(self, request: HttpRequest, queryset: QuerySet[Zone]) -> TemplateResponse | None:
        form = CorrectCountForm(
            request.POST if "apply" in request.POST else None, selected=queryset.values_list("pk", flat=True)
        )
        if form.is_bound and form.is_valid():
            for zone in queryset:
                occupancy.correct_zone_count(
                    zone, form.cleaned_data["count"], user=request.user, reason=form.cleaned_data["reason"]
                )
            n = queryset.count()
            self.message_user(
                request,
                numbers.counted(
                    ngettext("%(n)s zone count corrected.", "%(n)s zone counts corrected.", n), n
                ),
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "parking/correct_count.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Correct zone counts"),
                "form": form,
                "zones": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_correct_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("parking.correct_zone_count")


@admin.register(OccupancyChange)
class OccupancyChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "zone",
        "floor",
        "cause",
        "requested",
        "delta",
        "count_after",
        "over_capacity",
        "user",
        "reason",
    )
    list_filter = ("cause", "zone__floor", "floor")
    search_fields = ("zone__code", "zone__name", "floor__name", "reason", "user__username")
    list_select_related = ("zone", "floor", "user")
    date_hierarchy = "created_at"
    raw_id_fields = ("zone", "floor", "camera_event", "vehicle_event", "user")


@admin.register(VehicleEvent)
class VehicleEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "timestamp",
        "camera_id",
        "floor",
        "track_id",
        "vehicle_type",
        "direction",
        "confidence",
        "counted",
        "uncounted_reason",
    )
    list_filter = ("direction", "vehicle_type", "floor", "counted", "uncounted_reason")
    search_fields = ("camera_id", "track_id")
    list_select_related = ("floor",)
    date_hierarchy = "timestamp"


@admin.register(OccupancySnapshot)
class OccupancySnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("taken_at", "zone", "floor", "count", "capacity")
    list_filter = ("floor",)
    list_select_related = ("zone", "floor")
    date_hierarchy = "taken_at"
    raw_id_fields = ("zone", "floor")
