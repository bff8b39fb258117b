"""Consistent backups: a database dump, the media files, and a manifest of SHA-256 sums.

PostgreSQL is dumped with pg_dump (one snapshot, custom format) and restored with
pg_restore into an empty database; SQLite through its online backup API. Credentials
go to the tools through the environment, never on a command line or in a log.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(db: dict) -> dict:
    env = {
        **os.environ,
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGDATABASE": db["NAME"],
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[:500]}")


def dump_database(target: Path) -> Path:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        path = target / PG_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"], _pg_env(db))
        return path
    if connection.vendor == "sqlite":
        path = target / SQLITE_COPY
        source = sqlite3.connect(db["NAME"])
        with sqlite3.connect(path) as copy:
            source.backup(copy)
        source.close()
        return path
    raise BackupError(f"unsupported database {connection.vendor}")


def copy_media(target: Path) -> list[Path]:
    media_root = Path(settings.MEDIA_ROOT)
    copied = []
    if not media_root.exists():
        return copied
    for source in sorted(p for p in media_root.rglob("*") if p.is_file()):
        destination = target / "media" / source.relative_to(media_root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied.append(destination)
    return copied


def write_manifest(target: Path, files: list[Path]) -> dict:
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "files": [
            {"path": str(f.relative_to(target)), "size": f.stat().st_size, "sha256": sha256_of(f)}
            for f in files
        ],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def create_backup(target: Path) -> dict:
    target.mkdir(parents=True, exist_ok=False)
    files = [dump_database(target), *copy_media(target)]
    return write_manifest(target, files)


def verify_backup(source: Path) -> dict:
    """Check every file against the manifest; raise BackupError listing what is wrong."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"no {MANIFEST} in {source}")
    manifest = json.loads(manifest_path.read_text())
    problems = []
    for entry in manifest["files"]:
        path = source / entry["path"]
        if not path.exists():
            problems.append(f"missing {entry['path']}")
        elif sha256_of(path) != entry["sha256"]:
            problems.append(f"checksum mismatch {entry['path']}")
    if problems:
        raise BackupError("; ".join(problems))
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_backup(source: Path) -> dict:
    manifest = verify_backup(source)
    if manifest["database"] != connection.vendor:
        raise BackupError(f"backup is {manifest['database']}, this database is {connection.vendor}")
    if not database_is_empty():
        raise BackupError("the target database is not empty; restore only into an empty database")
    db = settings.DATABASES["default"]
    connection.close()
    if connection.vendor == "postgresql":
        _run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={db['NAME']}", str(source / PG_DUMP)],
            _pg_env(db),
        )
    else:
        with sqlite3.connect(source / SQLITE_COPY) as backup, sqlite3.connect(db["NAME"]) as live:
            backup.backup(live)
    media_root = Path(settings.MEDIA_ROOT)
    for entry in manifest["files"]:
        if entry["path"].startswith("media/"):
            destination = media_root / entry["path"][len("media/") :]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / entry["path"], destination)
    return manifest
