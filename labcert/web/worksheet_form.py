"""The worksheet: the plan as one grid of cells, read from a plain form post into result items.

Cells are named r<i>-<what> (value, u, observation, sample, instrument, tested_at, cond-<name>);
the sheet defaults are sample, instrument and tested_at. Rows are matched to the plan by their
key, so a plan that changed between showing and saving the sheet never shifts a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from labcert.rules.plan import Plan, PlanRow
from labcert.rules.vocabulary import vocabularies

CELL_OF_FIELD = {"value": "value", "observation": "value", "uncertainty": "u",
                 "uncertainty_pct": "u", "unit": "value", "sample_imei": "sample",
                 "instrument": "instrument", "tested_at": "tested_at", "test": "value", "k": "u"}
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


class WorksheetForm(FlaskForm):
    """Only the CSRF token: the grid's cells are read from the post by `read_sheet`."""


@dataclass
class SheetRow:
    """One grid row: the plan row, what was typed, and errors by cell."""

    index: int
    plan: PlanRow
    cells: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def typed(self) -> bool:
        """Tell whether the row carries a value to save."""
        return bool(self.cells.get("value", "").strip())

    def cell(self, name: str) -> str:
        """Return what a cell holds (empty when nothing was typed)."""
        return self.cells.get(name, "")


@dataclass
class Sheet:
    """The grid with its defaults, as shown or as posted."""

    rows: list[SheetRow]
    defaults: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)  # of the defaults and the sheet

    def typed_rows(self) -> list[SheetRow]:
        """Return the rows with a value typed, in sheet order."""
        return [row for row in self.rows if row.typed]

    @property
    def error_count(self) -> int:
        """Count the cells in error."""
        return sum(len(r.errors) for r in self.rows) + len(self.errors)


def condition_cells(row: PlanRow) -> list[str]:
    """Return the condition names a row's cells ask for: open conditions, then ranged ones."""
    return [*row.open_conditions, *row.ranges]


def condition_choices(name: str, row: PlanRow, product_bands: list[str]) -> list[str] | None:
    """Return the allowed values of a condition cell, or None for free entry."""
    if name == "band":
        known = list(vocabularies()["band"].values)
        return [*product_bands, *(b for b in known if b not in product_bands)]
    if name in ("detector", "discharge", "fold_state"):
        from labcert.rules import load_registry

        definition = load_registry().catalogue.condition_defs[name]
        return list(definition.choices or ())
    return None


def shown_rows(plan: Plan, market: str = "", missing_only: bool = False) -> list[PlanRow]:
    """Return the plan rows a sheet shows: those serving `market` (all if empty), and only the
    missing ones if asked; a sheet of one market can then take one market's block of values."""
    rows = list(plan.rows)
    if market:
        rows = [r for r in rows if any(c.split(":", 1)[0] == market for c in r.criteria)]
    if missing_only:
        rows = [r for r in rows if r.status == "missing"]
    return rows


def blank_sheet(rows: list[PlanRow], defaults: dict[str, str],
                instruments: dict[str, str] | None = None) -> Sheet:
    """Return the sheet as first shown: the rows, nothing typed but each row's instrument when
    exactly one instrument in calibration is declared for its test."""
    return Sheet([SheetRow(i, row, {"instrument": (instruments or {}).get(row.test, "")})
                  for i, row in enumerate(rows)], dict(defaults))


def read_sheet(plan: Plan, form: MultiDict[str, str]) -> Sheet:
    """Read the posted grid: each row by its key, its cells and the sheet defaults."""
    by_key = {row.key: row for row in plan.rows}
    defaults = {name: form.get(f"default-{name}", "").strip()
                for name in ("sample", "instrument", "tested_at")}
    rows, errors = [], {}
    count = int(form.get("rows", "0") or 0) if str(form.get("rows", "0")).isdigit() else 0
    for i in range(min(count, 2000)):
        key = form.get(f"r{i}-key", "")
        plan_row = by_key.get(key)
        cells = {name[len(f"r{i}-"):]: value.strip() for name, value in form.items()
                 if name.startswith(f"r{i}-") and name != f"r{i}-key"}
        if plan_row is None:
            if cells.get("value"):
                errors.setdefault("sheet", []).append(
                    f"Row {i + 1} ({key.split('|')[0]}) is no longer in the plan: the markets or "
                    "the product changed; its value was not saved.")
            continue
        rows.append(SheetRow(i, plan_row, cells))
    return Sheet(rows, defaults, errors)


def _timestamp(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC).isoformat()
        except ValueError:
            continue
    return text  # an ISO timestamp with a zone, or nonsense the service names


def sheet_items(sheet: Sheet) -> list[dict[str, Any]]:
    """Turn the typed rows into result items for the service, in the order of typed_rows()."""
    items = []
    for row in sheet.typed_rows():
        plan = row.plan
        item: dict[str, Any] = {"test": plan.test}
        typed = row.cell("value")
        if plan.kind == "observation":
            item["observation"] = typed
        else:
            item["value"] = typed
            item["unit"] = row.cell("unit") or plan.unit
            u = row.cell("u")
            if u.endswith("%"):
                item["uncertainty_pct"] = u[:-1].strip()
            elif u:
                item["uncertainty"] = u
        conditions = dict(plan.conditions)
        conditions.update({name: row.cell(f"cond-{name}") for name in condition_cells(plan)
                           if row.cell(f"cond-{name}")})
        item["conditions"] = conditions
        sample = row.cell("sample") or sheet.defaults.get("sample", "")
        instrument = row.cell("instrument") or sheet.defaults.get("instrument", "")
        when = _timestamp(row.cell("tested_at") or sheet.defaults.get("tested_at", ""))
        if sample:
            item["sample_imei"] = sample
        if instrument:
            item["instrument"] = instrument
        if when:
            item["tested_at"] = when
        items.append(item)
    return items


def place_errors(sheet: Sheet, details: dict[str, list[str]]) -> None:
    """Put each 'results.<j>.<field>' message beside the cell of the j-th typed row."""
    typed = sheet.typed_rows()
    for key, messages in details.items():
        parts = key.split(".")
        if parts[0] != "results" or len(parts) < 3 or not parts[1].isdigit() \
                or int(parts[1]) >= len(typed):
            sheet.errors.setdefault("sheet", []).extend(messages)
            continue
        row = typed[int(parts[1])]
        if parts[2] == "conditions" and len(parts) > 3:
            name = parts[3]
            cell = f"cond-{name}" if name in condition_cells(row.plan) else "value"
        else:
            cell = CELL_OF_FIELD.get(parts[2], "value")
        row.errors.setdefault(cell, []).extend(messages)
