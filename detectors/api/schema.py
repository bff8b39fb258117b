"""OpenAPI description of /api/model: the bearer scheme and the response envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

if TYPE_CHECKING:
    from rest_framework.fields import Field
    from rest_framework.serializers import Serializer


class DetectorTokenScheme(OpenApiAuthenticationExtension):
    target_class = "detectors.auth.DetectorTokenAuthentication"
    name = "detectorBearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token from POST /api/model/login; valid until revoked.",
        }


def envelope(name: str, data: Field | None = None) -> Serializer:
    fields: dict[str, Field] = {"status": serializers.BooleanField(), "message": serializers.CharField()}
    if data is not None:
        fields["data"] = data
    return inline_serializer(name=name, fields=fields)


ERROR = inline_serializer(
    name="DetectorError",
    fields={
        "status": serializers.BooleanField(default=False),
        "message": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
COMMON_ERRORS = {401: ERROR, 403: ERROR, 422: ERROR}


def documented(
    request: type[Serializer] | None, ok_code: int, data: Field | None, name: str, extra: dict | None = None
) -> Callable[[Any], Any]:
    return extend_schema(
        request=request,
        tags=[_("AI detector services")],
        responses={ok_code: envelope(name, data), **COMMON_ERRORS, **(extra or {})},
    )


CAMERA = inline_serializer(
    name="DetectorCamera",
    many=True,
    fields={
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "encrypted_data": serializers.CharField(help_text="Laravel encryptString payload"),
        "lat": serializers.FloatField(allow_null=True),
        "lang": serializers.FloatField(allow_null=True),
        "storage_type": serializers.CharField(),
        "police_station_id": serializers.IntegerField(allow_null=True),
    },
)
LOGIN = inline_serializer(
    name="DetectorLogin",
    fields={
        "token": serializers.CharField(),
        "model": inline_serializer(
            name="DetectorModel",
            fields={
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "email": serializers.EmailField(),
                "ip_address": serializers.IPAddressField(),
            },
        ),
    },
)
CRIME = inline_serializer(
    name="DetectorCrime",
    fields={
        "crime_id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "severity": serializers.CharField(),
    },
)
