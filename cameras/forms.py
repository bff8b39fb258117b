"""Admin form for cameras: passwords are write-only (blank keeps the stored one)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from damanat.forms import WriteOnlySecretsForm, secret_field

from .device_limits import push_credential_errors
from .models import Camera


class CameraAdminForm(WriteOnlySecretsForm):
    secret_fields = ("password", "push_password")

    password = secret_field(_("password"), _("Leave empty to keep the stored password."))
    push_password = secret_field(
        _("push password"), _("Devices accept at most 16 characters. Leave empty to keep the stored one.")
    )
    clear_push_password = forms.BooleanField(label=_("remove push credentials"), required=False)

    class Meta:
        model = Camera
        fields = "__all__"

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned.get("clear_push_password"):
            cleaned["push_password"] = ""
        problems = push_credential_errors(cleaned.get("push_username", ""), cleaned.get("push_password", ""))
        for name, message in problems.items():
            self.add_error(name, message)
        return cleaned
