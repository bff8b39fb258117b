"""Check a bundle: the signature over its manifest, then every file's hash, then nothing extra.

The verdict names the first problem, so whoever received a bundle learns which file was
changed, removed or slipped in.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from . import signing
from .bundle import CHUNK, MANIFEST, SIGNATURE


@dataclass
class Verdict:
    ok: bool
    problem: str = ""
    files: int = 0


class Refused(Exception):
    pass


def verify_bundle(path: Any, key: signing.PublicKey | None = None) -> Verdict:
    key = key or signing.public_key()
    try:
        with zipfile.ZipFile(path) as bundle:
            files = _verified_manifest(bundle, key)["files"]
            for entry in files:
                _check_file(bundle, entry)
            _check_nothing_extra(bundle, files)
    except Refused as exc:
        return Verdict(False, str(exc))
    except (zipfile.BadZipFile, OSError) as exc:
        return Verdict(False, f"not a readable bundle: {exc}")
    return Verdict(True, files=len(files))


def _read(bundle: zipfile.ZipFile, name: str) -> bytes:
    try:
        return bundle.read(name)
    except KeyError:
        raise Refused(f"missing: {name}")
    except (zipfile.BadZipFile, zlib.error):
        raise Refused(f"tampered: {name}")


def _verified_manifest(bundle: zipfile.ZipFile, key: signing.PublicKey) -> dict:
    manifest_bytes = _read(bundle, MANIFEST)
    try:
        signature = json.loads(_read(bundle, SIGNATURE))
        if signature.get("algorithm") != signing.ALGORITHM:
            raise Refused(f"tampered: {SIGNATURE} (algorithm {signature.get('algorithm')!r})")
        if signature.get("key_id") != key.key_id:
            raise Refused(f"signed by another key: {signature.get('key_id')} (expected {key.key_id})")
        if not key.verifies(str(signature.get("signature", "")), manifest_bytes):
            raise Refused(f"tampered: {MANIFEST} (the signature does not match)")
        return json.loads(manifest_bytes)
    except (ValueError, AttributeError):
        raise Refused(f"tampered: {SIGNATURE}")


def _check_file(bundle: zipfile.ZipFile, entry: dict) -> None:
    path = entry["path"]
    digest = hashlib.sha256()
    try:
        with bundle.open(path) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
    except KeyError:
        raise Refused(f"missing: {path}")
    except (zipfile.BadZipFile, zlib.error):
        raise Refused(f"tampered: {path}")
    if digest.hexdigest() != entry["sha256"]:
        raise Refused(f"tampered: {path}")


def _check_nothing_extra(bundle: zipfile.ZipFile, files: list[dict]) -> None:
    names = bundle.namelist()
    listed = {entry["path"] for entry in files} | {MANIFEST, SIGNATURE}
    seen = set()
    for name in names:
        if name not in listed or name in seen:
            raise Refused(f"extra: {name}")
        seen.add(name)
