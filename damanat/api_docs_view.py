"""The API docs page asks for the schema in the reader's language (Swagger UI's own buttons
exist in English only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import get_language
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.views import SpectacularSwaggerSplitView

if TYPE_CHECKING:
    from django.http import HttpRequest


class DocsInReadersLanguage(SpectacularSwaggerSplitView):
    def _get_schema_url(self, request: HttpRequest) -> str:
        url = super()._get_schema_url(request)
        return url if request.GET.get("lang") else set_query_parameters(url, lang=get_language())
