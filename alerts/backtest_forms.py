"""The draft rule staff backtest: one form behind the admin, the staff page and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parking.models import Zone

from .models import BacktestRun
from .replays import replays

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django_stubs_ext import StrOrPromise

TARGETS = [("vehicle", _("Vehicle")), ("human", _("Person"))]
UNCHANGED = [("", _("Unchanged"))]
# The draft settings each rule reads; a zone's own settings need that zone.
RULE_FIELDS = {
    "zone": (
        "kind",
        "counted_targets",
        "line_is_violation",
        "active_from",
        "active_until",
        "cooldown_seconds",
    ),
    "capacity": ("counted_targets", "capacity", "threshold"),
    "overstay": ("overstay_minutes",),
}
DRAFT_FIELDS = (
    "kind",
    "counted_targets",
    "line_is_violation",
    "active_from",
    "active_until",
    "cooldown_seconds",
    "capacity",
    "threshold",
    "overstay_minutes",
)
ZONE_ONLY = ("kind", "counted_targets", "line_is_violation", "active_from", "active_until", "capacity")


def _time(label: StrOrPromise) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}))


class BacktestForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"))
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.select_related("camera"),
        required=False,
        help_text=_("Empty: every zone (the cooldown only)."),
    )
    days = forms.IntegerField(
        label=_("Days to replay"), min_value=1, max_value=90, initial=30, required=False
    )
    kind = forms.ChoiceField(label=_("Zone kind"), choices=UNCHANGED + Zone.Kind.choices, required=False)
    counted_targets = forms.MultipleChoiceField(
        label=_("Targets that count"), choices=TARGETS, required=False, widget=forms.CheckboxSelectMultiple
    )
    line_is_violation = forms.NullBooleanField(
        label=_("Line crossing is a violation"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Unchanged")), ("true", _("Yes")), ("false", _("No"))]),
    )
    active_from = _time(_("Active from (facility time)"))
    active_until = _time(_("Active until (facility time)"))
    cooldown_seconds = forms.IntegerField(label=_("Cooldown (seconds)"), min_value=0, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)
    threshold = forms.IntegerField(
        label=_("Zone-full threshold (%)"), min_value=1, max_value=100, required=False
    )
    overstay_minutes = forms.IntegerField(
        label=_("Visitors' stay limit (minutes)"), min_value=1, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ordered = sorted(replays().values(), key=lambda replay: replay.position)
        self.fields["rule"].choices = [(replay.rule, replay.label) for replay in ordered]

    def clean(self) -> dict:
        data = super().clean()
        rule, zone = data.get("rule"), data.get("zone")
        data["days"] = data.get("days") or 30
        given = _given(data)
        if rule and replays()[rule].needs_zone and zone is None:
            self.add_error("zone", _("This rule is set per zone: choose one."))
        for name in given:
            if rule and name not in RULE_FIELDS.get(rule, ()):
                self.add_error(name, _("The chosen rule does not use this setting."))
            elif name in ZONE_ONLY and zone is None:
                self.add_error(name, _("A zone's own setting: choose the zone."))
        if rule and not given:
            raise forms.ValidationError(_("Change at least one setting: the draft is the current rule."))
        return data

    def changes(self) -> dict:
        """The draft's settings as JSON, only those given."""
        data = self.cleaned_data
        changes = {
            name: value
            for name, value in _given(data).items()
            if name in RULE_FIELDS.get(data.get("rule"), ())
        }
        for name in ("active_from", "active_until"):
            if name in changes:
                changes[name] = changes[name].isoformat("minutes")
        if "threshold" in changes:
            changes["threshold"] = changes["threshold"] / 100
        return changes

    def start(self, user: User | AnonymousUser) -> BacktestRun:
        """Record the run and queue its task once the run is committed."""
        from .tasks import run_backtest

        data = self.cleaned_data
        run = BacktestRun.objects.create(
            rule=data["rule"],
            zone=data.get("zone"),
            days=data["days"],
            params={"changes": self.changes()},
            requested_by=user,
        )
        transaction.on_commit(lambda: run_backtest.delay(run.pk))
        return run


def _given(data: dict) -> dict:
    return {name: data[name] for name in DRAFT_FIELDS if data.get(name) not in (None, "", [])}


def start_for_zone_edit(zone: Zone, edited: dict, user: User | AnonymousUser) -> list[BacktestRun]:
    """Backtest the zone settings changed on its admin form (``edited``: field -> new value),
    one run per rule that reads them; the zone itself is not saved."""
    runs = []
    for rule in ("zone", "capacity"):
        changes = {name: _as_input(value) for name, value in edited.items() if name in RULE_FIELDS[rule]}
        form = BacktestForm(data={"rule": rule, "zone": zone.pk, "days": 30, **changes})
        if changes and form.is_valid():
            runs.append(form.start(user))
    return runs


def _as_input(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat("minutes") if hasattr(value, "isoformat") else value
