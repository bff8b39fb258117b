from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from damanat import numbers
from damanat.admin_readonly import SystemWrittenMixin

from .models import CrimeReport, Detector, DetectorToken, DutyShift, Evidence, TransitionError
from .tasks import retrieve_evidence

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.utils.safestring import SafeString


class DetectorAdminForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("new password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored hashed. Leave empty to keep the current password."),
    )

    class Meta:
        model = Detector
        fields = ["name", "email", "new_password", "allowed_ip", "enabled", "cameras"]

    def clean_new_password(self) -> str:
        password = self.cleaned_data.get("new_password", "")
        if not password and not (self.instance and self.instance.password):
            raise forms.ValidationError(_("A new detector account needs a password."))
        if password:
            validate_password(password)
        return password

    def save(self, commit: bool = True) -> Detector:
        detector = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            detector.set_password(self.cleaned_data["new_password"])
            # A changed password ends every session that used the old one.
            if detector.pk:
                detector.revoke_tokens()
        if commit:
            detector.save()
            self.save_m2m()
        return detector


class DetectorTokenInline(SystemWrittenMixin, admin.TabularInline):
    model = DetectorToken
    extra = 0
    can_delete = False
    fields = ("__str__", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields


@admin.register(Detector)
class DetectorAdmin(admin.ModelAdmin):
    form = DetectorAdminForm
    list_display = (
        "name",
        "email",
        "allowed_ip",
        "enabled",
        "is_active",
        "last_heartbeat_at",
        "camera_count",
        "reported_cameras",
    )
    list_filter = ("enabled", "is_active")
    search_fields = ("name", "email", "allowed_ip")
    filter_horizontal = ("cameras",)
    readonly_fields = (
        "is_active",
        "last_heartbeat_at",
        "reported_camera_ids",
        "went_inactive_at",
        "created_at",
    )
    inlines = [DetectorTokenInline]
    actions = ["issue_token", "revoke_tokens"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Detector]:
        return super().get_queryset(request).annotate(camera_total=Count("cameras", distinct=True))

    @admin.display(description=_("assigned cameras"), ordering="camera_total")
    def camera_count(self, obj: Detector) -> int:
        return obj.camera_total

    @admin.display(description=_("reported in last heartbeat"))
    def reported_cameras(self, obj: Detector) -> str:
        return ", ".join(str(i) for i in obj.reported_camera_ids) or "-"

    @admin.action(description=_("Issue a new token (shown once)"))
    def issue_token(self, request: HttpRequest, queryset: QuerySet[Detector]) -> TemplateResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one detector."), messages.ERROR)
            return None
        detector = queryset.get()
        token = detector.issue_token(name="admin")
        return TemplateResponse(
            request,
            "detectors/token_issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("New token for %(name)s") % {"name": detector.name},
                "detector": detector,
                "token": token,
            },
        )

    @admin.action(description=_("Revoke all tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[Detector]) -> None:
        revoked = sum(d.revoke_tokens() for d in queryset)
        self.message_user(
            request,
            numbers.counted(ngettext("%(n)s token revoked.", "%(n)s tokens revoked.", revoked), revoked),
            messages.SUCCESS,
        )


@admin.register(DetectorToken)
class DetectorTokenAdmin(SystemWrittenMixin, admin.ModelAdmin):
    list_display = ("__str__", "detector", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("detector", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("detector",)
    search_fields = ("detector__name", "detector__email", "prefix")
    readonly_fields = ("detector", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[DetectorToken]) -> None:
        revoked = queryset.live().update(revoked_at=timezone.now())
        self.message_user(
            request,
            numbers.counted(ngettext("%(n)s token revoked.", "%(n)s tokens revoked.", revoked), revoked),
            messages.SUCCESS,
        )


class EvidenceInline(SystemWrittenMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = ("clip", "clip_start", "clip_end", "size", "sha256", "created_at")
    readonly_fields = fields

    @admin.display(description=_("recording"))
    def clip(self, obj: CrimeReport) -> SafeString:
        return format_html(
            '<video src="{0}" controls preload="metadata" style="max-width:360px">'
            '</video><br><a href="{0}" download>{1}</a>',
            obj.file.url,
            obj.file.name,
        )


@admin.register(CrimeReport)
class CrimeReportAdmin(SystemWrittenMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "crime_type",
        "camera",
        "detector",
        "confidence_score",
        "severity",
        "status",
        "evidence_status",
        "assignee",
    )
    list_filter = ("status", "severity", "crime_type", "evidence_status", "camera", "detector")
    list_select_related = ("camera", "detector", "alert__assigned_to")
    search_fields = ("camera__code", "camera__name", "detector__name", "note", "handed_over_to")
    date_hierarchy = "created_at"
    readonly_fields = (
        "detector",
        "camera",
        "crime_type",
        "confidence_score",
        "severity",
        "start_time",
        "end_time",
        "status",
        "alert",
        "reviewed_by",
        "reviewed_at",
        "handed_over_by",
        "handed_over_at",
        "evidence_status",
        "evidence_attempts",
        "evidence_error",
        "evidence_checked_at",
        "created_at",
    )
    inlines = [EvidenceInline]
    actions = ["confirm", "hand_over", "dismiss", "retry_evidence"]

    @admin.display(description=_("assigned to"))
    def assignee(self, obj: CrimeReport) -> object:
        return getattr(obj.alert, "assigned_to", None) or "-"

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[CrimeReport], change: Callable[[CrimeReport], object]
    ) -> None:
        done = 0
        for report in queryset:
            try:
                change(report)
                done += 1
            except TransitionError as exc:
                self.message_user(request, f"#{report.pk}: {exc}", messages.WARNING)
        self.message_user(
            request,
            numbers.counted(ngettext("%(n)s report updated.", "%(n)s reports updated.", done), done),
            messages.SUCCESS,
        )

    @admin.action(description=_("Confirm selected reports"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[CrimeReport]) -> None:
        self._apply(request, queryset, lambda r: r.confirm(by=request.user))

    @admin.action(description=_("Hand over selected reports (uses each report's 'handed over to')"))
    def hand_over(self, request: HttpRequest, queryset: QuerySet[CrimeReport]) -> None:
        self._apply(request, queryset, lambda r: r.hand_over(by=request.user, to=r.handed_over_to))

    @admin.action(description=_("Dismiss selected reports (false alarm)"))
    def dismiss(self, request: HttpRequest, queryset: QuerySet[CrimeReport]) -> None:
        self._apply(request, queryset, lambda r: r.dismiss(by=request.user))

    @admin.action(description=_("Retry evidence retrieval"))
    def retry_evidence(self, request: HttpRequest, queryset: QuerySet[CrimeReport]) -> None:
        ids = list(
            queryset.exclude(evidence_status=CrimeReport.EvidenceStatus.STORED).values_list("pk", flat=True)
        )
        CrimeReport.objects.filter(pk__in=ids).update(
            evidence_status=CrimeReport.EvidenceStatus.PENDING, evidence_attempts=0, evidence_error=""
        )
        for pk in ids:
            retrieve_evidence.delay(pk)
        self.message_user(
            request,
            numbers.counted(
                ngettext(
                    "Evidence retrieval queued for %(n)s report.",
                    "Evidence retrieval queued for %(n)s reports.",
                    len(ids),
                ),
                len(ids),
            ),
            messages.SUCCESS,
        )


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ("user", "starts_at", "ends_at", "post_floor", "post_zone", "on_duty_now")
    list_filter = ("post_floor",)
    list_select_related = ("user", "post_floor", "post_zone")
    search_fields = ("user__username", "user__first_name", "user__last_name", "note")
    date_hierarchy = "starts_at"

    @admin.display(description=_("on duty now"), boolean=True)
    def on_duty_now(self, obj: DutyShift) -> bool:
        return obj.starts_at <= timezone.now() < obj.ends_at
