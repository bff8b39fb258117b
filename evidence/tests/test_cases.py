"""Bundles of a visit and of a crime report: their own events, pictures and clips."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from detectors.models import Evidence
from evidence.exporting import export_bundle
from evidence.models import EvidenceExport
from evidence.verify import verify_bundle
from operations.models import LegalHold

from .factories import crime_report_with_clip, visit_through_gates

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def contents(export) -> tuple[zipfile.ZipFile, dict]:
    with export.file.open("rb") as stored:
        bundle = zipfile.ZipFile(io.BytesIO(stored.read()))
    return bundle, json.loads(bundle.read("manifest.json"))


def test_visit_bundle_has_the_entry_and_exit_reads_with_their_pictures(client, supervisor):
    visit = visit_through_gates(client)
    export = export_bundle(visit, by=supervisor)
    bundle, manifest = contents(export)
    kinds = [f["kind"] for f in manifest["files"]]
    assert kinds.count("raw_body") == 2 and kinds.count("picture") == 2
    english = PdfReader(io.BytesIO(bundle.read("summary.pdf"))).pages[0].extract_text()
    assert "ABJ 1234" in english and "Entered" in english and "Exited" in english
    assert LegalHold.objects.active().filter(content_type__model="visit", object_id=str(visit.pk)).exists()
    assert verify_bundle(export.file.path).ok


def test_crime_report_bundle_carries_its_clip_and_its_alert(supervisor):
    report = crime_report_with_clip()
    export = export_bundle(report, by=supervisor)
    bundle, manifest = contents(export)
    [clip] = [f for f in manifest["files"] if f["kind"] == "clip"]
    assert clip["sha256"] == clip["sha256_at_ingest"] == Evidence.objects.get().sha256
    pages = PdfReader(io.BytesIO(bundle.read("summary.pdf"))).pages
    assert "Theft" in pages[0].extract_text() and "Crime model" in pages[0].extract_text()
    assert "سرقة" in pages[-1].extract_text()
    held = set(LegalHold.objects.active().values_list("content_type__model", flat=True))
    assert {"crimereport", "alert"} <= held


def test_admin_action_exports_a_visit_and_a_crime_report(client, supervisor):
    visit = visit_through_gates(client)
    report = crime_report_with_clip()
    client.force_login(supervisor)
    for path, pk in (("/admin/anpr/visit/", visit.pk), ("/admin/detectors/crimereport/", report.pk)):
        assert 'value="export_evidence_bundle"' in client.get(path).content.decode(), path
        client.post(path, {"action": "export_evidence_bundle", "_selected_action": [pk]})
    assert set(EvidenceExport.objects.values_list("subject_type", "subject_id")) == {
        ("visit", visit.pk),
        ("crime_report", report.pk),
    }
