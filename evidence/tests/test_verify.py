from __future__ import annotations

import base64
import io
import os
import zipfile

import pytest
from django.core.management import CommandError, call_command

from evidence import signing
from evidence.exporting import export_bundle
from evidence.verify import verify_bundle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def bundle_path(pushed_alert, supervisor, tmp_path):
    alert, _documents = pushed_alert
    export = export_bundle(alert, by=supervisor)
    path = tmp_path / export.filename
    with export.file.open("rb") as stored:
        path.write_bytes(stored.read())
    return path


def rewrite(path, change) -> None:
    """Copy the archive member by member, letting ``change(name, data)`` alter or drop each."""
    with zipfile.ZipFile(path) as original:
        members = [(info.filename, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(path, "w") as copy:
        for name, data in members:
            data = change(name, data)
            if data is not None:
                copy.writestr(name, data)


def verify_command(path) -> str:
    out = io.StringIO()
    call_command("verify_bundle", str(path), stdout=out)
    return out.getvalue()


def test_a_fresh_bundle_verifies(bundle_path):
    assert verify_command(bundle_path).startswith("verified")


def test_one_byte_changed_in_a_picture_names_that_picture(bundle_path):
    target = {}

    def flip(name, data):
        if name.startswith("pictures/") and not target:
            target["name"] = name
            return data[:1000] + bytes([data[1000] ^ 1]) + data[1001:]
        return data

    rewrite(bundle_path, flip)
    with pytest.raises(CommandError, match=f"tampered: {target['name']}"):
        verify_command(bundle_path)


def test_a_removed_raw_body_is_named_missing(bundle_path):
    removed = sorted(n for n in zipfile.ZipFile(bundle_path).namelist() if n.endswith(".xml"))[0]
    rewrite(bundle_path, lambda name, data: None if name == removed else data)
    with pytest.raises(CommandError, match=f"missing: {removed}"):
        verify_command(bundle_path)


def test_an_added_file_is_named_extra(bundle_path):
    with zipfile.ZipFile(bundle_path, "a") as bundle:
        bundle.writestr("pictures/planted.jpg", b"\xff\xd8 not from any camera")
    with pytest.raises(CommandError, match="extra: pictures/planted.jpg"):
        verify_command(bundle_path)


def test_an_edited_manifest_breaks_the_signature(bundle_path):
    rewrite(
        bundle_path,
        lambda name, data: (
            data.replace(b'"exported_by": "supervisor"', b'"exported_by": "someone"')
            if name == "manifest.json"
            else data
        ),
    )
    with pytest.raises(CommandError, match="tampered: manifest.json"):
        verify_command(bundle_path)


def test_a_bundle_signed_by_another_installation_is_refused(bundle_path, settings):
    settings.EVIDENCE_SIGNING_KEY = base64.b64encode(os.urandom(32)).decode()
    verdict = verify_bundle(bundle_path)
    assert not verdict.ok and verdict.problem.startswith("signed by another key")


def test_a_receiver_verifies_with_the_public_key_alone(bundle_path, settings):
    public = signing.public_key().encoded
    settings.EVIDENCE_SIGNING_KEY = base64.b64encode(os.urandom(32)).decode()
    out = io.StringIO()
    call_command("verify_bundle", str(bundle_path), "--public-key", public, stdout=out)
    assert out.getvalue().startswith("verified")


def test_the_private_key_is_never_printed(bundle_path, settings):
    out = io.StringIO()
    call_command("verify_bundle", "--print-public-key", stdout=out)
    assert settings.EVIDENCE_SIGNING_KEY not in out.getvalue() + verify_command(bundle_path)
    assert settings.EVIDENCE_SIGNING_KEY.encode() not in bundle_path.read_bytes()
    assert signing.public_key().key_id in out.getvalue()


def test_one_byte_flipped_in_the_archive_file_itself_is_caught(bundle_path):
    with zipfile.ZipFile(bundle_path) as bundle:
        picture = next(i for i in bundle.infolist() if i.filename.startswith("pictures/"))
    data = bytearray(bundle_path.read_bytes())
    data[picture.header_offset + 200] ^= 0xFF  # inside the stored picture, past its local header
    bundle_path.write_bytes(bytes(data))
    verdict = verify_bundle(bundle_path)
    assert not verdict.ok and verdict.problem == f"tampered: {picture.filename}"
