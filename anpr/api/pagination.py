from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rest_framework.pagination import LimitOffsetPagination

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from rest_framework.response import Response


class CappedCountPagination(LimitOffsetPagination):
    """limit/offset for logs of millions of rows: counting stops at COUNT_CAP.

    An exact COUNT(*) over every passage costs more than the page itself; past the cap
    the answer says ``"count": COUNT_CAP, "count_capped": true``.
    """

    COUNT_CAP = 10_000
    capped = False

    def get_count(self, queryset: QuerySet[Any] | Sequence[Any]) -> int:
        count = queryset[: self.COUNT_CAP + 1].count()
        self.capped = count > self.COUNT_CAP
        return min(count, self.COUNT_CAP)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.capped
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {"type": "boolean"}
        return schema
