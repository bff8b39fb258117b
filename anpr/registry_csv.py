"""CSV import (previewed, all or nothing) and export of the vehicle registry."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from damanat import csv_cells

from . import plates
from .api.serializers import VehicleSerializer
from .models import Vehicle
from .signals import batched_registry_changes

COLUMNS = [
    "plate",
    "owner_name",
    "category",
    "list",
    "employee_id",
    "valid_from",
    "valid_until",
    "max_stay_minutes",
    "notes",
]
EDITABLE = [name for name in COLUMNS if name != "plate"]
MAX_ROWS = 20000


class ImportRefused(Exception):
    """The file has errors: nothing was imported."""


@dataclass
class RowPlan:
    line: int
    plate: str
    action: str = "create"  # create | update | unchanged | error
    changes: dict = field(default_factory=dict)  # field -> (old, new)
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _validated(raw: dict, instance: Vehicle | None) -> tuple[dict, list[str]]:
    data = {key: csv_cells.unescaped_cell((raw.get(key) or "").strip()) for key in COLUMNS if key in raw}
    data["category"] = (data.get("category") or "employee").lower()
    data["list"] = (data.get("list") or "allowed").lower()
    for optional in ("valid_from", "valid_until", "max_stay_minutes"):
        if not data.get(optional):
            data[optional] = None
    serializer = VehicleSerializer(instance=instance, data=data, partial=False)
    if serializer.is_valid():
        return dict(serializer.validated_data), []
    errors = [f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in serializer.errors.items()]
    return {}, errors


def _plan_row(line: int, raw: dict, seen: dict[str, int]) -> RowPlan:
    plate = plates.canonical_plate(raw.get("plate"))
    row = RowPlan(line=line, plate=plate or (raw.get("plate") or "").strip())
    if plate in seen:
        row.action, row.errors = (
            "error",
            [
                _("plate %(plate)s also on line %(line)d")
                % {"plate": plates.latin_display(plate), "line": seen[plate]}
            ],
        )
        return row
    if plate:
        seen[plate] = line
    instance = Vehicle.objects.filter(plate=plate).first() if plate else None
    values, errors = _validated(raw, instance)
    if errors:
        row.action, row.errors = "error", errors
        return row
    row.values = values
    if instance is not None:
        row.changes = {
            name: (getattr(instance, name), values[name])
            for name in EDITABLE
            if name in values and getattr(instance, name) != values[name]
        }
        row.action = "update" if row.changes else "unchanged"
    return row


def plan_import(text: str) -> ImportPlan:
    """What importing this CSV would do, row by row, without changing anything."""
    plan = ImportPlan()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "plate" not in header:
        plan.file_errors.append(_("The first line must name the columns, including 'plate'."))
        return plan
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            plan.file_errors.append(_("More than %(max)d rows.") % {"max": MAX_ROWS})
            break
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue
        plan.rows.append(_plan_row(index, raw, seen))
    return plan


@transaction.atomic
def apply_import(plan: ImportPlan) -> dict[str, int]:
    """Create and update every row, or nothing when any row has an error."""
    if plan.has_errors:
        raise ImportRefused(_("The file has errors; nothing was imported."))
    with batched_registry_changes():
        for row in plan.rows:
            if row.action == "create":
                Vehicle.objects.create(**row.values)
            elif row.action == "update":
                vehicle = Vehicle.objects.select_for_update().get(plate=row.plate)
                for name, (_old, new) in row.changes.items():
                    setattr(vehicle, name, new)
                vehicle.save()
    return {action: plan.count(action) for action in ("create", "update", "unchanged")}


def export_csv(vehicles: Iterable[Vehicle]) -> str:
    buffer = io.StringIO()
    writer = csv_cells.writer(buffer)
    writer.writerow(COLUMNS + ["plate_arabic", "registered_at"])
    for vehicle in vehicles:
        writer.writerow(
            [getattr(vehicle, name) if getattr(vehicle, name) is not None else "" for name in COLUMNS]
            + [vehicle.plate_arabic, vehicle.registered_at.isoformat()]
        )
    return buffer.getvalue()
