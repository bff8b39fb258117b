"""Admin forms: write-only channel secrets, the note for bulk alert actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from damanat.forms import WriteOnlySecretsForm, secret_field

from .choices import Kind
from .models import NotificationChannel


class ChannelAdminForm(WriteOnlySecretsForm):
    secret_fields = ("secret", "bearer_token", "mqtt_password")

    alert_kinds = forms.MultipleChoiceField(
        label=_("alert kinds"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="http")
    secret = secret_field(_("signing secret"), _("HMAC-SHA256 key. Leave empty to keep the stored one."))
    bearer_token = secret_field(_("bearer token"))
    mqtt_password = secret_field(_("MQTT password"))

    class Meta:
        model = NotificationChannel
        fields = "__all__"


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
