"""Admin forms: write-only channel secrets, the note for bulk alert actions."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Kind
from .models import NotificationChannel

SECRET_FIELDS = ("secret", "bearer_token", "mqtt_password")


class ChannelAdminForm(forms.ModelForm):
    alert_kinds = forms.MultipleChoiceField(label=_("alert kinds"), choices=Kind.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("None ticked: every kind."))
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="http")
    secret = forms.CharField(label=_("signing secret"), required=False,
                             widget=forms.PasswordInput(render_value=False),
                             help_text=_("HMAC-SHA256 key. Leave empty to keep the stored one."))
    bearer_token = forms.CharField(label=_("bearer token"), required=False,
                                   widget=forms.PasswordInput(render_value=False),
                                   help_text=_("Leave empty to keep the stored one."))
    mqtt_password = forms.CharField(label=_("MQTT password"), required=False,
                                    widget=forms.PasswordInput(render_value=False),
                                    help_text=_("Leave empty to keep the stored one."))

    class Meta:
        model = NotificationChannel
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
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
