from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from cameras.models import Camera, CameraEvent, EventPicture

ROOT = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    db = django_settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def manage(*args, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(database), "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database(tmp_path, settings):
    camera = Camera.objects.create(code="CAM-01", ip_address="192.168.1.101", password="cam-pass")
    event = CameraEvent.objects.create(camera=camera, event_type="ANPR", plate="ABC1234")
    picture = EventPicture(event=event, name="plate.jpg", sha256="x")
    picture.image.save("plate.jpg", ContentFile(b"\xff\xd8 picture bytes"), save=True)
    source_db = django_settings.DATABASES["default"]["NAME"]

    backup_dir = tmp_path / "backup"
    made = manage("backup", "--output", str(backup_dir), database=source_db, media=Path(settings.MEDIA_ROOT))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= {"database.pgdump", f"media/{picture.image.name}"}
    assert "cam-pass" not in made.stdout + made.stderr

    empty = f"restore_{uuid.uuid4().hex[:8]}"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{empty}"')
    try:
        restored_media = tmp_path / "restored-media"
        done = manage("restore", str(backup_dir), database=empty, media=restored_media)
        assert done.returncode == 0, done.stderr
        with psycopg.connect(database_url(empty)) as conn:
            assert conn.execute("select plate from cameras_cameraevent").fetchall() == [("ABC1234",)]
        assert (restored_media / picture.image.name).read_bytes() == b"\xff\xd8 picture bytes"
        again = manage("restore", str(backup_dir), database=empty, media=restored_media)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{empty}" WITH (FORCE)')


def test_restore_refuses_a_tampered_backup(tmp_path):
    backup_dir = tmp_path / "b"
    backup_dir.mkdir()
    (backup_dir / "database.sqlite3").write_bytes(b"changed")
    (backup_dir / "manifest.json").write_text(
        json.dumps(
            {"database": "sqlite", "files": [{"path": "database.sqlite3", "size": 5, "sha256": "0" * 64}]}
        )
    )
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(backup_dir), "--check-only")
