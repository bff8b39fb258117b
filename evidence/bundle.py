"""Write a case's signed archive: summary, raw bodies, pictures, clips, audit, manifest, signature.

Every file goes through one writer that hashes what it stores, so manifest.json names the
SHA-256 of exactly the bytes in the zip. signature.json signs manifest.json as written.
Pictures and clips referenced by the case but gone from storage are listed as missing.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.utils import timezone, translation

from . import signing
from .cases import Case
from .summary import Listing, case_title, render
from .trail import trail

if TYPE_CHECKING:
    from cameras.models import CameraEvent

    from .models import EvidenceExport

FORMAT = "damanat-evidence-bundle/1"
MANIFEST, SIGNATURE = "manifest.json", "signature.json"
SNIFFED = {b"<": ".xml", b"{": ".json", b"[": ".json"}
CHUNK = 1024 * 1024


@dataclass
class Archive:
    """The zip being written and the manifest entries of what is in it."""

    zip: zipfile.ZipFile
    files: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)

    def add_bytes(self, path: str, data: bytes, **about: Any) -> None:
        compression = zipfile.ZIP_DEFLATED if _compressible(path) else zipfile.ZIP_STORED
        self.zip.writestr(zipfile.ZipInfo(path, _zip_time()), data, compress_type=compression)
        self.files.append(
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), **about}
        )

    def add_stored(self, path: str, name: str, **about: Any) -> None:
        """Copy a media file in chunks (clips can be large), hashing on the way."""
        digest, size = hashlib.sha256(), 0
        info = zipfile.ZipInfo(path, _zip_time())
        info.compress_type = zipfile.ZIP_STORED
        with default_storage.open(name, "rb") as source, self.zip.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.files.append({"path": path, "sha256": digest.hexdigest(), "size": size, **about})

    def json(self, path: str, value: Any, **about: Any) -> bytes:
        data = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode()
        self.add_bytes(path, data, **about)
        return data


def _zip_time() -> Any:
    return timezone.now().timetuple()[:6]


def _compressible(path: str) -> bool:
    return PurePosixPath(path).suffix in (".json", ".xml", ".txt", ".multipart", ".body", ".pdf")


def write_bundle(target: IO[bytes], case: Case, export: EvidenceExport) -> dict:
    """Write the archive into the open binary file ``target``; return the manifest."""
    with zipfile.ZipFile(target, "w", allowZip64=True) as zipped:
        archive = Archive(zipped)
        _add_events(archive, case)
        _add_clips(archive, case)
        with translation.override("en"):
            archive.json("audit.json", [line.as_json() for line in trail(case)], kind="audit")
        listing = Listing(
            [f["path"] for f in archive.files] + [MANIFEST, SIGNATURE],
            [f"{m['kind']}: {m['reference']}" for m in archive.missing],
        )
        archive.add_bytes("summary.pdf", render(case, export, listing), kind="summary")
        manifest = _manifest(archive, case, export)
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        zipped.writestr(MANIFEST, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
        zipped.writestr(
            SIGNATURE, json.dumps(_signature(manifest_bytes), indent=2), compress_type=zipfile.ZIP_DEFLATED
        )
    return manifest


def _add_events(archive: Archive, case: Case) -> None:
    for event in case.events:
        base = f"events/event-{event.pk}"
        body = bytes(event.raw_body or b"")
        archive.add_bytes(base + _body_extension(event), body, kind="raw_body", event_id=event.pk)
        archive.json(base + ".json", _event_record(event), kind="event", event_id=event.pk)
        for picture in event.pictures.all():
            name = picture.image.name
            _add_media(
                archive,
                f"pictures/event-{event.pk}-{picture.pk}-{PurePosixPath(name).name}",
                name,
                kind="picture",
                event_id=event.pk,
                sha256_at_ingest=picture.sha256,
            )


def _add_clips(archive: Archive, case: Case) -> None:
    for clip in case.clips:
        name = clip.file.name
        _add_media(
            archive,
            f"clips/report-{clip.report_id}-{clip.pk}-{PurePosixPath(name).name}",
            name,
            kind="clip",
            report_id=clip.report_id,
            sha256_at_ingest=clip.sha256,
        )


def _add_media(archive: Archive, path: str, name: str, **about: Any) -> None:
    if name and default_storage.exists(name):
        archive.add_stored(path, name, **about)
    else:
        archive.missing.append({"reference": name, "reason": "not in media storage", **about})


def _body_extension(event: CameraEvent) -> str:
    """By what the stored body is: a multipart push keeps its XML or JSON part as the body."""
    body = bytes(event.raw_body or b"").lstrip()[:1]
    if body in SNIFFED:
        return SNIFFED[body]
    kind = (event.content_type or "").split(";")[0].strip().lower()
    return mimetypes.guess_extension(kind) or ".body" if kind else ".body"


def _event_record(event: CameraEvent) -> dict:
    """What the database knows of the event besides its body (the body is stored as received)."""
    return {
        "id": event.pk,
        "received_at": event.received_at,
        "trigger_time": event.trigger_time,
        "camera": event.camera.code if event.camera else None,
        "source_ip": event.source_ip,
        "content_type": event.content_type,
        "headers": event.headers,
        "event_type": event.event_type,
        "event_state": event.event_state,
        "region_id": event.region_id,
        "plate": event.plate,
        "original_plate": event.original_plate,
        "plate_confidence": event.plate_confidence,
        "status": event.status,
        "body_size": event.body_size,
    }


def _manifest(archive: Archive, case: Case, export: EvidenceExport) -> dict:
    with translation.override("en"):
        title = case_title(case)
    return {
        "format": FORMAT,
        "export_id": export.pk,
        "title": title,
        "case": {"type": case.subject_type, "id": case.subject.pk},
        "exported_by": export.exported_by.get_username(),
        "exported_at": export.created_at.isoformat(),
        "files": archive.files,
        "missing": archive.missing,
    }


def _signature(manifest_bytes: bytes) -> dict:
    key = signing.public_key()
    return {
        "algorithm": signing.ALGORITHM,
        "key_id": key.key_id,
        "public_key": key.encoded,
        "signed": MANIFEST,
        "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        "signed_at": timezone.now().isoformat(),
        "signature": signing.sign(manifest_bytes),
    }
