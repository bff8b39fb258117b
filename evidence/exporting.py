"""Export a case: record who did it, put the case on legal hold, write and store the bundle."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from typing import IO, TYPE_CHECKING

from django.core.files import File
from django.db import transaction

from . import signing
from .bundle import CHUNK, write_bundle
from .cases import case_of
from .holds import place_holds
from .models import EvidenceExport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import Model

    from .cases import Case

logger = logging.getLogger(__name__)


def export_bundle(subject: Model, *, by: User | AnonymousUser | None) -> EvidenceExport:
    """One signed archive of ``subject`` (an alert, a visit or a crime report)."""
    case = case_of(subject)
    with transaction.atomic():
        export = EvidenceExport.objects.create(
            subject_type=case.subject_type,
            subject_id=subject.pk,
            exported_by=by,
            key_id=signing.public_key().key_id,
        )
        place_holds(case, by=by, export_id=export.pk)
        try:
            _store(export, case)
        except BaseException:
            if export.file:
                export.file.delete(save=False)
            raise
    logger.info(
        "evidence bundle %s of %s #%s: %d bytes, exported by %s",
        export.pk,
        export.subject_type,
        export.subject_id,
        export.size,
        by,
    )
    return export


def _store(export: EvidenceExport, case: Case) -> None:
    with tempfile.TemporaryFile() as spool:
        write_bundle(spool, case, export)
        export.size, export.sha256 = _measure(spool)
        export.file.save(export.filename, File(spool), save=False)
    # Not save(): the audit trail keeps the export as it was created, by whom and from where.
    EvidenceExport.objects.filter(pk=export.pk).update(
        file=export.file.name, size=export.size, sha256=export.sha256
    )


def _measure(spool: IO[bytes]) -> tuple[int, str]:
    spool.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := spool.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    spool.seek(0)
    return size, digest.hexdigest()
