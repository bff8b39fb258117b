"""Filter and action forms of the staff pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.choices import Kind, Severity, Status
from cameras.models import Camera
from parking.models import Zone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet
    from django.http import QueryDict

    from alerts.models import AlertQuerySet

ALERT_HANDLERS_PERMISSION = "alerts.acknowledge_alert"
MAX_RANGE_DAYS = 366


class CameraChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, camera: Camera) -> str:
        return f"{camera.code} · {camera.display_name}" if camera.display_name else camera.code


class AlertFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("active", _("Needs attention (open or acknowledged)")),
        ("", _("All")),
        *Status.choices,
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("All")), *Severity.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False)
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.active(), required=False, empty_label=_("All")
    )
    camera = CameraChoiceField(
        label=_("Camera"), queryset=Camera.objects.all(), required=False, empty_label=_("All")
    )
    plate = forms.CharField(label=_("Plate"), required=False, max_length=32)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, data: QueryDict | dict[str, Any] | None = None, **kwargs: Any) -> None:
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = "active"
        super().__init__(data, **kwargs)

    def filter(self, queryset: AlertQuerySet, user: User | AnonymousUser) -> AlertQuerySet:
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["status"] == "active":
            queryset = queryset.active()
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["severity"]:
            queryset = queryset.filter(severity=data["severity"])
        if data["kind"]:
            queryset = queryset.of_kind(data["kind"])
        if data["zone"]:
            queryset = queryset.for_zone(data["zone"])
        if data["camera"]:
            queryset = queryset.filter(camera=data["camera"])
        if data["plate"]:
            queryset = queryset.filter(plate__icontains=data["plate"].strip())
        if data["mine"]:
            queryset = queryset.filter(assigned_to=user)
        return queryset


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def alert_handlers() -> QuerySet[Any]:
    # The permission backend by name: axes' backend (first in the list) holds no permissions.
    return (
        get_user_model()
        .objects.with_perm(
            ALERT_HANDLERS_PERMISSION,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True)
    )


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody"),
        widget=forms.Select(attrs={"class": "person"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = alert_handlers().order_by("username")


class DateRangeForm(forms.Form):
    """A range of facility-local days; the default is the last ``default_days`` days."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    default_days = 7

    @classmethod
    def with_defaults(cls, query: QueryDict) -> DateRangeForm:
        """Bound to the query, with the default range filled in so the inputs show it."""
        data = query.copy()
        end = data.get("end") or timezone.localdate().isoformat()
        data["end"] = end
        if not data.get("start"):
            try:
                data["start"] = (date.fromisoformat(end) - timedelta(days=cls.default_days - 1)).isoformat()
            except ValueError:
                pass
        return cls(data)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"] - timedelta(days=self.default_days - 1)
        if data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        if (data["end"] - data["start"]).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of at most a year."))
        return data
