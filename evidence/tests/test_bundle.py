from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from cameras.models import CameraEvent, EventPicture
from evidence.exporting import export_bundle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def open_bundle(export) -> zipfile.ZipFile:
    with export.file.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def test_every_file_is_in_the_manifest_with_its_hash(pushed_alert, supervisor):
    alert, _bodies = pushed_alert
    export = export_bundle(alert, by=supervisor)
    bundle = open_bundle(export)
    manifest = json.loads(bundle.read("manifest.json"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert set(bundle.namelist()) == set(listed) | {"manifest.json", "signature.json"}
    for path, sha256 in listed.items():
        assert hashlib.sha256(bundle.read(path)).hexdigest() == sha256, path
    assert manifest["case"] == {"type": "alert", "id": alert.pk}
    assert manifest["missing"] == []
    with export.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == export.sha256


def test_raw_bodies_and_pictures_are_byte_identical_to_what_the_camera_sent(pushed_alert, supervisor):
    alert, documents = pushed_alert
    bundle = open_bundle(export_bundle(alert, by=supervisor))
    raw = [f"events/event-{event.pk}.xml" for event in CameraEvent.objects.order_by("pk")]
    assert [bundle.read(name) for name in raw] == documents
    assert [bundle.read(name) for name in raw] == [
        bytes(e.raw_body) for e in CameraEvent.objects.order_by("pk")
    ]
    pictures = [n for n in bundle.namelist() if n.startswith("pictures/")]
    assert len(pictures) == 3
    stored = {p.sha256 for p in EventPicture.objects.all()}
    assert {hashlib.sha256(bundle.read(n)).hexdigest() for n in pictures} == stored


def test_summary_pdf_tells_the_case_in_english_and_arabic(pushed_alert, supervisor):
    alert, _bodies = pushed_alert
    alert.acknowledge(by=supervisor, note="guard sent to the VIP gate")
    bundle = open_bundle(export_bundle(alert, by=supervisor))
    english, arabic = (
        page.extract_text() for page in PdfReader(io.BytesIO(bundle.read("summary.pdf"))).pages[:2]
    )
    assert "Evidence bundle #" in english and "CAM-02" in english and "Asia/Riyadh" in english
    assert "VIP restricted" in english and "Acknowledged" in english and "supervisor" in english
    assert "حزمة أدلة" in arabic and "الكاميرا" in arabic and "CAM-02" in arabic


def test_a_picture_gone_from_storage_is_listed_as_missing(pushed_alert, supervisor):
    alert, _bodies = pushed_alert
    gone = EventPicture.objects.first()
    name = gone.image.name
    gone.image.delete(save=False)
    bundle = open_bundle(export_bundle(alert, by=supervisor))
    manifest = json.loads(bundle.read("manifest.json"))
    assert [m["reference"] for m in manifest["missing"]] == [name]
    assert len([n for n in bundle.namelist() if n.startswith("pictures/")]) == 2


def test_audit_trail_holds_the_acknowledgement_the_hold_and_the_export(pushed_alert, supervisor):
    alert, _bodies = pushed_alert
    alert.acknowledge(by=supervisor)
    alert.resolve(by=supervisor, note="police informed")
    export = export_bundle(alert, by=supervisor)
    lines = json.loads(open_bundle(export).read("audit.json"))
    records = " ".join(line["record"] for line in lines)
    actions = [line["action"] for line in lines]
    assert "Acknowledged" in actions and "Resolved" in actions
    assert f"evidenceexport #{export.pk}" in records and "legalhold #" in records
