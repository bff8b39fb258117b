"""Who may export and download evidence: API, staff pages, admin, and never /media/."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.authtoken.models import Token

from evidence.exporting import export_bundle
from evidence.models import EvidenceExport
from operations.models import AuditEntry, LegalHold

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
API = "/api/v1/evidence/"


def token_for(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_supervisor_exports_over_the_api_and_downloads_the_archive(client, pushed_alert, supervisor):
    alert, _documents = pushed_alert
    auth = token_for(supervisor)
    answer = client.post(
        API, {"subject_type": "alert", "subject_id": alert.pk}, content_type="application/json", **auth
    )
    assert answer.status_code == 201, answer.content
    export = EvidenceExport.objects.get()
    assert answer.json()["sha256"] == export.sha256 and answer.json()["exported_by"] == "supervisor"
    download = client.get(answer.json()["download_url"], **auth)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert f'filename="{export.filename}"' in download["Content-Disposition"]
    assert hashlib.sha256(body_of(download)).hexdigest() == export.sha256
    entry = AuditEntry.objects.get(content_type__model="evidenceexport")
    assert entry.username == "supervisor" and entry.source == "api"


def test_an_unknown_case_is_404_and_a_bad_type_400(client, supervisor):
    auth = token_for(supervisor)
    assert (
        client.post(
            API, {"subject_type": "alert", "subject_id": 999}, content_type="application/json", **auth
        ).status_code
        == 404
    )
    assert (
        client.post(
            API, {"subject_type": "camera", "subject_id": 1}, content_type="application/json", **auth
        ).status_code
        == 400
    )


def test_guard_may_neither_export_nor_download(client, pushed_alert, guard, supervisor):
    alert, _documents = pushed_alert
    export = export_bundle(alert, by=supervisor)
    auth = token_for(guard)
    assert (
        client.post(
            API, {"subject_type": "alert", "subject_id": alert.pk}, content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert client.get(f"{API}{export.pk}/download", **auth).status_code == 403
    assert EvidenceExport.objects.count() == 1


def test_anonymous_callers_get_401_and_pages_send_them_to_sign_in(client, pushed_alert, supervisor):
    alert, _documents = pushed_alert
    export = export_bundle(alert, by=supervisor)
    assert (
        client.post(
            API, {"subject_type": "alert", "subject_id": alert.pk}, content_type="application/json"
        ).status_code
        == 401
    )
    assert client.get(f"{API}{export.pk}/download").status_code == 401
    page = client.get("/evidence/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_the_archive_is_never_served_from_media(client, pushed_alert, supervisor, django_user_model):
    alert, _documents = pushed_alert
    export = export_bundle(alert, by=supervisor)
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert client.get(f"/media/{export.file.name}").status_code == 403


def test_alert_page_offers_the_export_to_a_supervisor_only(client, pushed_alert, supervisor, guard):
    alert, _documents = pushed_alert
    client.force_login(guard)
    assert (
        "Export evidence bundle"
        not in client.get(f"/alerts/{alert.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert client.post(f"/evidence/export/alert/{alert.pk}").status_code == 403
    client.force_login(supervisor)
    assert (
        "Export evidence bundle"
        in client.get(f"/alerts/{alert.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    answer = client.post(f"/evidence/export/alert/{alert.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 302 and answer["Location"] == "/evidence/"
    export = EvidenceExport.objects.get()
    listing = client.get("/evidence/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/api/v1/evidence/{export.pk}/download" in listing and "on legal hold" in listing
    alert_page = client.get(f"/alerts/{alert.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Bundle #{export.pk}" in alert_page and "This case is on legal hold." in alert_page


def test_evidence_page_in_arabic_is_right_to_left(client, pushed_alert, manager):
    alert, _documents = pushed_alert
    export_bundle(alert, by=manager)
    client.force_login(manager)
    html = client.get("/evidence/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html and "حزم الأدلة" in html and "تنزيل" in html and "تنبيه" in html
    alert_page = client.get(f"/alerts/{alert.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "تصدير حزمة أدلة" in alert_page and "الحزمة رقم" in alert_page


def test_admin_action_exports_each_selected_alert(client, pushed_alert, supervisor, guard):
    alert, _documents = pushed_alert
    form = {"action": "export_evidence_bundle", "_selected_action": [alert.pk]}
    client.force_login(guard)
    client.post("/admin/alerts/alert/", form)
    assert not EvidenceExport.objects.exists()
    client.force_login(supervisor)
    answer = client.post("/admin/alerts/alert/", form, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    export = EvidenceExport.objects.get()
    assert export.subject_id == alert.pk and export.exported_by == supervisor
    assert "put on legal hold" in answer.content.decode()
    assert LegalHold.objects.filter(object_id=str(alert.pk), content_type__model="alert").exists()
