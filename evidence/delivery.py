"""Send a stored bundle to a permitted user: never through /media/, always as an attachment.

Behind nginx (MEDIA_ACCEL_REDIRECT) the answer names nginx's internal media location so
nginx streams the archive; otherwise Django sends the file.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse

from .models import EvidenceExport


def send_bundle(export: EvidenceExport) -> HttpResponse:
    if not export.file:
        raise Http404
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type="application/zip")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + quote(export.file.name)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    else:
        response = FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=export.filename,
            content_type="application/zip",
        )
    response["Cache-Control"] = "private, no-store"
    return response
