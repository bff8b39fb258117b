from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from anpr.models import Vehicle
from anpr.registry_csv import ImportRefused, apply_import, plan_import

pytestmark = pytest.mark.django_db

HEADER = "plate,owner_name,category,list,employee_id,valid_from,valid_until,notes\n"


def test_plan_shows_new_changed_and_unchanged_rows(employee_vehicle, visitor_vehicle):
    plan = plan_import(
        HEADER
        + "أ ب ح ١٢٣٤,Ahmed Al-Sayed,employee,allowed,EMP-042,,,\n"
        + "XYZ-5678,Visitor Pass 1,visitor,blocked,,,,\n"
        + "KSA 100,New Contractor,contractor,allowed,,2026-01-01,2026-12-31,gate 2\n"
    )

    assert [(r.line, r.plate, r.action) for r in plan.rows] == [
        (2, "ABJ1234", "unchanged"),
        (3, "XYZ5678", "update"),
        (4, "KSA100", "create"),
    ]
    assert plan.rows[1].changes == {"list": ("allowed", "blocked")}
    assert not plan.has_errors
    assert Vehicle.objects.count() == 2  # a preview changes nothing


def test_apply_creates_and_updates(employee_vehicle, visitor_vehicle):
    counts = apply_import(
        plan_import(
            HEADER
            + "XYZ-5678,Visitor Pass 1,visitor,blocked,,,,\n"
            + "KSA 100,New,contractor,,,,2026-12-31,\n"
        )
    )

    assert counts == {"create": 1, "update": 1, "unchanged": 0}
    assert Vehicle.objects.get(plate="XYZ5678").list == "blocked"
    created = Vehicle.objects.get(plate="KSA100")
    assert (created.list, str(created.valid_until)) == ("allowed", "2026-12-31")


def test_duplicates_and_bad_rows_get_per_row_errors_and_nothing_is_imported():
    plan = plan_import(
        HEADER
        + "ABJ1234,One,employee,,,,,\n"
        + "1234-ABJ,Same plate again,employee,,,,,\n"
        + "unknown,No plate,employee,,,,,\n"
        + "DEF200,Bad category,janitor,,,,,\n"
        + "GHJ300,Bad date,visitor,,,2026-13-01,,\n"
        + "KLM400,Reversed,visitor,,,2026-05-01,2026-04-01,\n"
        + "NRS500,Fine,visitor,,,,,\n"
    )

    errors = {row.line: " ".join(row.errors) for row in plan.rows if row.errors}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "also on line 2" in errors[3]
    assert "not a plate" in errors[4]
    assert "category" in errors[5]
    assert "valid_from" in errors[6]
    assert "valid_until" in errors[7]
    with pytest.raises(ImportRefused):
        apply_import(plan)
    assert not Vehicle.objects.exists()


def test_file_without_a_plate_column_is_refused():
    plan = plan_import("owner,kind\nA,B\n")
    assert plan.has_errors and plan.file_errors


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create(username="boss", is_staff=True, is_superuser=True))
    return client


def test_admin_import_previews_then_imports_on_confirmation(admin_client):
    upload = SimpleUploadedFile("v.csv", ("\ufeff" + HEADER + "ق ك ل ٩٩٩,Guest,visitor,,,,,\n").encode())
    preview = admin_client.post("/admin/anpr/vehicle/import/", {"file": upload})

    assert preview.status_code == 200
    assert b"GKL999" in preview.content and not Vehicle.objects.exists()
    content = preview.context["content"]
    done = admin_client.post("/admin/anpr/vehicle/import/", {"content": content, "confirm": "1"})
    assert done.status_code == 302
    assert Vehicle.objects.get().plate_arabic == "ق ك ل ٩٩٩"


def test_admin_export_and_search_in_arabic(admin_client, employee_vehicle, visitor_vehicle):
    exported = admin_client.get("/admin/anpr/vehicle/export/")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["plate"] for row in rows} == {"ABJ1234", "XYZ5678"}
    assert rows[0]["plate_arabic"] == "ا ب ح ١٢٣٤"

    found = admin_client.get("/admin/anpr/vehicle/", {"q": "ب ح ١٢"})
    assert list(found.context["cl"].result_list) == [employee_vehicle]


def test_admin_add_of_an_existing_plate_warns(admin_client, employee_vehicle):
    answer = admin_client.post(
        "/admin/anpr/vehicle/add/",
        {
            "plate": "1234 ا ب ح",
            "owner_name": "Other",
            "category": "employee",
            "list": "allowed",
            "registered_at_0": "2026-02-20",
            "registered_at_1": "10:00:00",
        },
    )
    assert answer.status_code == 200
    assert "already registered" in answer.content.decode()
    assert Vehicle.objects.count() == 1


def test_import_vehicles_command_dry_run_then_import(tmp_path, employee_vehicle):
    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "ABJ1234,Ahmed,employee,blocked,,,,\nKSA100,New,vip,,,,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_vehicles", str(good), "--dry-run", stdout=out)
    assert "KSA100: create" in out.getvalue() and "list: 'allowed' -> 'blocked'" in out.getvalue()
    assert Vehicle.objects.count() == 1

    call_command("import_vehicles", str(good), stdout=io.StringIO())
    assert Vehicle.objects.get(plate="ABJ1234").list == "blocked"

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "QQQ1,x,alien,,,,,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_vehicles", str(bad), stderr=err)
    assert "line 2" in err.getvalue()
