from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from damanat import numbers
from damanat.admin_readonly import ReadOnlyAdminMixin

from . import camera_admin, figures, misreads, plates, registry_csv  # noqa: F401 — camera_admin registers
from .models import GatePassage, MisreadReview, PlateConfusion, Vehicle, Visit
from .services import identify, today

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.urls import URLPattern
    from django.utils.functional import Promise
    from django_stubs_ext import StrOrPromise


class PlateSearchMixin:
    """Admin search that also finds plates typed in Arabic or with separators."""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> tuple:
        results, duplicates = super().get_search_results(request, queryset, search_term)
        plate = plates.plate_characters(search_term)
        if plate:
            results = results | queryset.filter(plate__contains=plate)
        return results, duplicates


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("valid", _("Valid today")), ("expired", _("Expired")), ("future", _("Not yet valid"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        day = today()
        return {
            "valid": queryset.valid_on,
            "expired": queryset.expired_on,
            "future": queryset.not_yet_valid_on,
        }.get(self.value(), lambda _d: queryset)(day)


class VehicleAdminForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = "__all__"

    def clean_plate(self) -> str:
        plate = plates.canonical_plate(self.cleaned_data["plate"])
        if not plate:
            raise forms.ValidationError(_("This is not a plate."))
        existing = Vehicle.objects.filter(plate=plate).exclude(pk=self.instance.pk).first()
        if existing is not None:
            url = reverse("admin:anpr_vehicle_change", args=[existing.pk])
            raise forms.ValidationError(
                format_html(
                    _('Plate {} is already registered to {}: <a href="{}">edit that vehicle</a>.'),
                    existing.plate_display,
                    existing.owner_name or "-",
                    url,
                )
            )
        return plate


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read().decode("utf-8-sig", errors="replace")
        return self.cleaned_data.get("content") or ""


@admin.register(Vehicle)
class VehicleAdmin(PlateSearchMixin, admin.ModelAdmin):
    form = VehicleAdminForm
    change_list_template = "anpr/admin/vehicle_change_list.html"
    list_display = (
        "plate_display",
        "plate_arabic",
        "owner_name",
        "category",
        "list",
        "employee_id",
        "valid_from",
        "valid_until",
        "registered_at",
    )
    list_filter = ("category", "list", ValidityFilter)
    search_fields = ("owner_name", "employee_id", "notes")
    readonly_fields = ("registered_at", "updated_at")
    actions = ["export_selected"]

    @admin.display(description=_("plate"), ordering="plate")
    def plate_display(self, obj: Vehicle) -> str:
        return obj.plate_display

    @admin.display(description=_("plate (Arabic)"))
    def plate_arabic(self, obj: Vehicle) -> str:
        return obj.plate_arabic

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="anpr_vehicle_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="anpr_vehicle_export"),
        ]
        return extra + super().get_urls()

    @admin.action(description=_("Export selected vehicles to CSV"), permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Vehicle]) -> HttpResponse:
        return _csv_response(registry_csv.export_csv(queryset), "vehicles.csv")

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return redirect("admin:index")
        return _csv_response(registry_csv.export_csv(Vehicle.objects.all()), "vehicles.csv")

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        plan, text = None, ""
        if request.method == "POST" and form.is_valid():
            text = form.text()
            plan = registry_csv.plan_import(text)
            if "confirm" in request.POST and not plan.has_errors:
                counts = registry_csv.apply_import(plan)
                self.message_user(
                    request,
                    _("Imported: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
                    % {key: numbers.number(n) for key, n in counts.items()},
                    messages.SUCCESS,
                )
                return redirect("admin:anpr_vehicle_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import vehicles from CSV"),
            "form": form,
            "plan": plan,
            "content": text,
            "columns": registry_csv.COLUMNS,
        }
        return TemplateResponse(request, "anpr/admin/vehicle_import.html", context)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pictures(passage: GatePassage | None) -> str:
    if passage is None or passage.event is None:
        return "-"
    pictures = passage.event.pictures.all()
    if not pictures:
        return "-"
    return format_html_join(
        " ",
        '<a href="{0}"><img src="{0}" style="max-height:120px"></a>',
        ((picture.image.url,) for picture in pictures),
    )


@admin.register(GatePassage)
class GatePassageAdmin(PlateSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "gate",
        "plate_label",
        "raw_plate",
        "category",
        "match",
        "camera",
        "reads",
        "confidence",
    )
    list_filter = ("gate", "category", "match", "camera", "local_date")
    search_fields = ("raw_plate", "vehicle__owner_name")
    list_select_related = ("camera", "vehicle")
    date_hierarchy = "occurred_at"
    readonly_fields = ("pictures",)

    @admin.display(description=_("plate"), ordering="plate")
    def plate_label(self, obj: GatePassage) -> StrOrPromise:
        if obj.is_unread:
            return _("(unread)")
        return f"{obj.plate_display} / {obj.plate_arabic}" if obj.plate_arabic else obj.plate_display

    @admin.display(description=_("pictures"))
    def pictures(self, obj: GatePassage) -> str:
        return _pictures(obj)


class ReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("yes", _("Orphan exits and stale visits"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.needing_review() if self.value() == "yes" else queryset


@admin.register(Visit)
class VisitAdmin(PlateSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    change_list_template = "anpr/admin/visit_change_list.html"
    list_display = (
        "plate_display",
        "category",
        "status",
        "entered_at",
        "exited_at",
        "duration_minutes",
        "exit_match",
        "close_note",
    )
    list_filter = (ReviewFilter, "status", "category", "exit_match", "exit_date")
    search_fields = ("vehicle__owner_name",)
    list_select_related = ("vehicle",)
    date_hierarchy = "entered_at"
    readonly_fields = ("entry_pictures", "exit_pictures")
    actions = ["pair_selected"]
    changeable = True  # pairing needs the change permission

    @admin.display(description=_("plate"), ordering="plate")
    def plate_display(self, obj: Visit) -> str:
        return obj.plate_display

    @admin.display(description=_("duration (min)"), ordering="duration_seconds")
    def duration_minutes(self, obj: Visit) -> float | None:
        return obj.duration_minutes

    @admin.display(description=_("entry pictures"))
    def entry_pictures(self, obj: Visit) -> str:
        return _pictures(obj.entry)

    @admin.display(description=_("exit pictures"))
    def exit_pictures(self, obj: Visit) -> str:
        return _pictures(obj.exit)

    def get_urls(self) -> list:
        board = path("gate/", self.admin_site.admin_view(self.gate_board), name="anpr_gate_board")
        return [board, *super().get_urls()]

    def gate_board(self, request: HttpRequest) -> HttpResponse:
        """The guard's page: is this car ours, today's counts, the latest passages."""
        if not request.user.has_perm("anpr.view_gatepassage"):
            return redirect("admin:index")
        text = request.GET.get("plate", "").strip()
        plate = plates.canonical_plate(text)
        day = today()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Gate board"),
            "query": text,
            "plate": plate,
            "identity": identify(plate) if plate else None,
            "today": day,
            "counts": figures.gate_counts(day),
            "inside": figures.currently_parked(),
            "review": Visit.objects.needing_review().count(),
            "passages": GatePassage.objects.select_related("camera", "vehicle")[:25],
        }
        return TemplateResponse(request, "anpr/admin/gate_board.html", context)

    @admin.action(description=_("Pair an orphan exit with a stale or open visit"), permissions=["change"])
    def pair_selected(self, request: HttpRequest, queryset: QuerySet[Visit]) -> None:
        orphans = [v for v in queryset if v.status == Visit.Status.ORPHAN_EXIT]
        visits = [v for v in queryset if v.status in (Visit.Status.STALE, Visit.Status.OPEN)]
        if len(orphans) != 1 or len(visits) != 1 or queryset.count() != 2:
            self.message_user(
                request,
                _("Select exactly one exit without entry and one stale or open visit."),
                messages.ERROR,
            )
            return
        try:
            visits[0].pair_with(orphans[0], note=_("paired by %(user)s") % {"user": request.user})
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            _("Paired: %(plate)s parked %(minutes)s min.")
            % {"plate": visits[0].plate_display, "minutes": numbers.number(visits[0].duration_minutes)},
            messages.SUCCESS,
        )


def _candidate_label(candidate: Any) -> str:
    passage = candidate.passage
    return _("%(plate)s at %(camera)s, %(time)s (distance %(distance)s)") % {
        "plate": passage.plate_display,
        "camera": passage.camera or "-",
        "time": numbers.when(passage.occurred_at),
        "distance": numbers.number(candidate.distance, 2),
    }


@admin.register(MisreadReview)
class MisreadReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "passage_plate",
        "kind",
        "status",
        "camera",
        "occurred_at",
        "best_candidate",
        "resolved_by",
        "resolved_at",
    )
    list_filter = ("status", "kind", "passage__camera")
    search_fields = ("passage__plate", "passage__raw_plate")
    list_select_related = ("passage__camera", "resolved_by")
    readonly_fields = ("candidates", "pictures")
    actions = ["resolve_with_best", "dismiss_selected"]
    changeable = True  # resolving and dismissing need the change permission

    @admin.display(description=_("plate"), ordering="passage__plate")
    def passage_plate(self, obj: MisreadReview) -> str:
        return obj.passage.plate_display

    @admin.display(description=_("camera"))
    def camera(self, obj: MisreadReview) -> Any:
        return obj.passage.camera or "-"

    @admin.display(description=_("time"), ordering="passage__occurred_at")
    def occurred_at(self, obj: MisreadReview) -> str:
        return numbers.when(obj.passage.occurred_at)

    @admin.display(description=_("best candidate"))
    def best_candidate(self, obj: MisreadReview) -> Any:
        found = getattr(obj, "ranked", [])
        return _candidate_label(found[0]) if found else "-"

    @admin.display(description=_("pictures"))
    def pictures(self, obj: MisreadReview) -> Any:
        return _pictures(obj.passage)

    @admin.display(description=_("candidate matches"))
    def candidates(self, obj: MisreadReview) -> str | Promise:
        if obj.status != MisreadReview.Status.OPEN:
            return "-"
        found = misreads.candidates_for([obj]).get(obj.pk, [])
        if not found:
            return _("No unmatched read at the other gate within the window.")
        url = reverse("admin:anpr_misreadreview_resolve", args=[obj.pk])
        return format_html_join(
            "",
            '<p>{} {} <button type="submit" formaction="{}" name="candidate" value="{}">{}</button></p>',
            (
                (_candidate_label(c), _pictures(c.passage), url, c.passage.pk, _("Resolve with this one"))
                for c in found
            ),
        )

    def has_resolve_permission(self, request: HttpRequest) -> bool:
        return misreads.may_resolve(request.user)

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        open_items = [r for r in changelist.result_list if r.status == MisreadReview.Status.OPEN]
        for review_pk, ranked in misreads.candidates_for(open_items).items():
            next(r for r in open_items if r.pk == review_pk).ranked = ranked
        return changelist

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self) -> list[URLPattern]:
        resolve = path(
            "<int:pk>/resolve/",
            self.admin_site.admin_view(self.resolve_view),
            name="anpr_misreadreview_resolve",
        )
        return [resolve, *super().get_urls()]

    def resolve_view(self, request: HttpRequest, pk: str) -> HttpResponse:
        if request.method != "POST" or not self.has_resolve_permission(request):
            return redirect("admin:anpr_misreadreview_changelist")
        review = MisreadReview.objects.filter(pk=pk).first()
        candidate = GatePassage.objects.filter(pk=request.POST.get("candidate") or 0).first()
        if review is not None and candidate is not None:
            self._resolve(request, review, candidate)
        return redirect("admin:anpr_misreadreview_changelist")

    def _resolve(self, request: HttpRequest, review: Any, candidate: Any) -> bool:
        try:
            visit = misreads.resolve(review, candidate, by=request.user)
        except misreads.CannotResolve as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return False
        self.message_user(
            request,
            _("Paired: %(plate)s parked %(minutes)s min.")
            % {"plate": visit.plate_display, "minutes": numbers.number(visit.duration_minutes)},
            messages.SUCCESS,
        )
        return True

    @admin.action(description=_("Resolve with the best candidate"), permissions=["resolve"])
    def resolve_with_best(self, request: HttpRequest, queryset: QuerySet[MisreadReview]) -> None:
        items = list(queryset.open().select_related("passage__camera"))
        for review in items:
            ranked = misreads.candidates_for([review]).get(review.pk, [])
            if not ranked:
                self.message_user(
                    request, _("%(item)s: no candidate to pair with.") % {"item": review}, messages.WARNING
                )
                continue
            self._resolve(request, review, ranked[0].passage)

    @admin.action(description=_("Dismiss selected items"), permissions=["resolve"])
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet[MisreadReview]) -> None:
        dismissed = sum(misreads.dismiss(review, by=request.user) for review in queryset.open())
        self.message_user(
            request,
            numbers.counted(
                ngettext("%(n)s item dismissed.", "%(n)s items dismissed.", dismissed), dismissed
            ),
            messages.SUCCESS,
        )


@admin.register(PlateConfusion)
class PlateConfusionAdmin(admin.ModelAdmin):
    """What each camera misreads, learned from resolved misreads; an administrator may reset a count."""

    list_display = ("camera", "read", "true", "count", "updated_at")
    list_filter = ("camera",)
    search_fields = ("read", "true", "camera__code")
    list_select_related = ("camera",)
    readonly_fields = ("updated_at",)
