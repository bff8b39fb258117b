"""Field limits Hikvision devices enforce, checked where staff type the values.

A value over a limit is refused by the device only when provisioning writes it, long
after the installer has left the form; the API, the admin and provisioning check here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PUSH_USERNAME_MAX = 32
PUSH_PASSWORD_MAX = 16
PLATE_MAX = 16


def push_credential_errors(username: str, password: str) -> dict[str, str]:
    """Field name -> message for push credentials a device would refuse."""
    errors = {}
    if len(username or "") > PUSH_USERNAME_MAX:
        errors["push_username"] = str(
            _("Devices refuse a push username longer than %(max)d characters.") % {"max": PUSH_USERNAME_MAX}
        )
    if len(password or "") > PUSH_PASSWORD_MAX:
        errors["push_password"] = str(
            _("Devices refuse a push password longer than %(max)d characters.") % {"max": PUSH_PASSWORD_MAX}
        )
    return errors
