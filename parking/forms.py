from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.admin import helpers
from django.utils.translation import gettext_lazy as _


class CorrectCountForm(forms.Form):
    """The admin "correct count" action: a new count and the reason, kept in the ledger."""

    action = forms.CharField(widget=forms.HiddenInput, initial="correct_count")
    apply = forms.CharField(widget=forms.HiddenInput, initial="1")
    select_across = forms.CharField(widget=forms.HiddenInput, initial="0", required=False)
    count = forms.IntegerField(label=_("New count"), min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, selected: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selected = [str(pk) for pk in selected]
        self.fields[helpers.ACTION_CHECKBOX_NAME] = forms.MultipleChoiceField(
            choices=[(pk, pk) for pk in self.selected],
            widget=forms.MultipleHiddenInput,
            initial=self.selected,
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the count is corrected."))
        return reason
