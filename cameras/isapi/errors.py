"""What can go wrong when talking to a device, as exceptions a caller can act on.

Devices describe failures in a ResponseStatus (XML) or a JSON status body; the
``subStatusCode`` is the most precise part and wins over ``statusCode``. Messages
name the device and the path, never a credential.
"""

from __future__ import annotations


class ISAPIError(Exception):
    """Base of every client error; ``str()`` is safe to log and to show an installer."""

    status_label = "error"

    def __init__(
        self,
        message: str,
        *,
        device: str = "",
        path: str = "",
        http_status: int | None = None,
        status_code: int | None = None,
        sub_status: str = "",
        status_string: str = "",
        error_code: int | None = None,
        error_msg: str = "",
    ) -> None:
        self.device = device
        self.path = path
        self.http_status = http_status
        self.status_code = status_code
        self.sub_status = sub_status
        self.status_string = status_string
        self.error_code = error_code
        self.error_msg = error_msg
        super().__init__(message)


class ConnectionFailed(ISAPIError):
    """The device could not be reached at all."""

    status_label = "unreachable"


class DeviceTimeout(ConnectionFailed):
    status_label = "timeout"


class ConnectionRefused(ConnectionFailed):
    status_label = "refused"


class AddressNotAllowed(ConnectionFailed):
    """The device's address is outside ISAPI_ALLOWED_NETWORKS: no packet was sent."""

    status_label = "not_allowed"


class AuthenticationFailed(ISAPIError):
    """401: wrong username or password (or the account is locked)."""

    status_label = "auth_failed"


class BadResponse(ISAPIError):
    """The device answered something that is not the XML/JSON it should have."""


class DeviceRejected(ISAPIError):
    """The device answered with a ResponseStatus / JSON status describing an error."""

    status_label = "rejected"


class NotSupported(DeviceRejected):
    """notSupport: the device lacks this feature (real devices answer it with 403)."""

    status_label = "not_supported"


class InvalidOperation(DeviceRejected):
    status_label = "invalid_operation"


class LowPrivilege(InvalidOperation):
    status_label = "low_privilege"


class BadXmlFormat(DeviceRejected):
    """The device could not parse what we sent (also JSON format errors)."""

    status_label = "bad_format"


class BadXmlContent(DeviceRejected):
    """Well-formed, but a value was refused (also badParameters and JSON content errors)."""

    status_label = "bad_content"


class DeviceBusy(DeviceRejected):
    status_label = "busy"


class DeviceError(DeviceRejected):
    status_label = "device_error"


SUB_STATUS = {
    "notsupport": NotSupported,
    "lowprivilege": LowPrivilege,
    "invalidoperation": InvalidOperation,
    "methodnotallowed": InvalidOperation,
    "badxmlformat": BadXmlFormat,
    "badjsonformat": BadXmlFormat,
    "badxmlcontent": BadXmlContent,
    "badjsoncontent": BadXmlContent,
    "badparameters": BadXmlContent,
    "devicebusy": DeviceBusy,
    "deviceerror": DeviceError,
    "nomemory": DeviceError,
}

STATUS_CODE = {2: DeviceBusy, 3: DeviceError, 4: InvalidOperation, 5: BadXmlFormat, 6: BadXmlContent}


def error_class(status_code: int | None, sub_status: str, http_status: int) -> type[DeviceRejected]:
    by_sub = SUB_STATUS.get((sub_status or "").lower())
    if by_sub:
        return by_sub
    if status_code in STATUS_CODE:
        return STATUS_CODE[status_code]
    if http_status == 404:
        return NotSupported  # no such resource: older firmware, or not an ISAPI device at all
    return InvalidOperation if http_status in (403, 405) else DeviceError
