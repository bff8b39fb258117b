from __future__ import annotations

from typing import Any

from django import template

from evidence.models import EvidenceExport

register = template.Library()


@register.simple_tag
def case_exports(subject_type: str, subject_id: int) -> Any:
    """The bundles already exported of this case, newest first."""
    return EvidenceExport.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related(
        "exported_by"
    )
