"""Admin form for cameras: passwords are write-only (blank keeps the stored one)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Camera

SECRET_FIELDS = ("password", "push_password")


class CameraAdminForm(forms.ModelForm):
    password = forms.CharField(label=_("password"), required=False,
                               widget=forms.PasswordInput(render_value=False),
                               help_text=_("Leave empty to keep the stored password."))
    push_password = forms.CharField(label=_("push password"), required=False, max_length=16,
                                    widget=forms.PasswordInput(render_value=False),
                                    help_text=_("Devices accept at most 16 characters. "
                                                "Leave empty to keep the stored one."))
    clear_push_password = forms.BooleanField(label=_("remove push credentials"), required=False)

    class Meta:
        model = Camera
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            self.initial[name] = ""

    def clean(self):
        cleaned = super().clean()
        for name in SECRET_FIELDS:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
        if cleaned.get("clear_push_password"):
            cleaned["push_password"] = ""
        return cleaned
