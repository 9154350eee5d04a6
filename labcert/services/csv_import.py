"""CSV import of results from test rigs: all-or-nothing, every error with line and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from labcert.errors import ValidationFailed
from labcert.models import User
from labcert.services.results import add_results, check_batch

FIELDS = ("test", "value", "observation", "unit", "uncertainty", "uncertainty_pct", "k",
          "sample_imei", "instrument", "tested_at")
CONDITION_PREFIX = "cond."
MAX_ROWS = 50_000


@dataclass(frozen=True)
class ParsedCsv:
    """The rows of a results CSV as API items, with the header for error messages."""

    header: list[str]
    items: list[dict[str, Any]]


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationFailed.of([("file", f"The file is not UTF-8 text (byte {error.start}); "
                                            "save it as CSV UTF-8 and upload again.")]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationFailed.of([(f"line {line}", "A NUL character (0x00) is not text: is this "
                                                    "really the CSV export of the test rig?")])
    return text


def _header_problems(header: list[str]) -> list[tuple[str, str]]:
    problems = []
    for number, name in enumerate(header, start=1):
        if name not in FIELDS and not (name.startswith(CONDITION_PREFIX) and len(name) > 5):
            problems.append((f"line 1, column {number}",
                             f"Unknown column {name!r}; use {', '.join(FIELDS)} or "
                             "cond.<name> for a test condition."))
    if "test" not in header:
        problems.append(("line 1", "The header needs a 'test' column."))
    if len(set(header)) != len(header):
        problems.append(("line 1", "A column name appears twice in the header."))
    return problems


def _check_header(header: list[str]) -> None:
    if problems := _header_problems(header):
        raise ValidationFailed.of(problems, "The header row is not valid; nothing was stored.")


def _item(row: list[str], header: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    conditions: dict[str, str] = {}
    for name, cell in zip(header, row, strict=False):
        cell = cell.strip()
        if not cell or not name:
            continue
        if name.startswith(CONDITION_PREFIX):
            conditions[name[len(CONDITION_PREFIX):]] = cell
        else:
            item[name] = cell
    if conditions:
        item["conditions"] = conditions
    return item


def parse_csv(data: bytes) -> ParsedCsv:
    """Read a results CSV into API items; a structural problem names its line."""
    parsed, problems = read_csv(data)
    if problems:
        raise ValidationFailed.of(problems, "The file is not valid CSV; nothing was stored.")
    return parsed


def read_csv(data: bytes) -> tuple[ParsedCsv, list[tuple[str, str]]]:
    """Read a results CSV into items, with every structural problem (unknown columns are
    left out of the items, so their rows are still checked); only an unreadable file raises."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValidationFailed.of([("file", "The file is empty: it needs a header row.")]) from None
    except csv.Error as error:
        raise ValidationFailed.of([("line 1", f"Not readable as CSV: {error}.")]) from None
    problems = _header_problems(header)
    known = [name if name in FIELDS or (name.startswith(CONDITION_PREFIX) and len(name) > 5)
             else "" for name in header]
    items = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append((f"line {reader.line_num}",
                                 f"{len(row)} cells but the header has {len(header)} columns."))
            items.append(_item(row, known))
            if len(items) > MAX_ROWS:
                raise ValidationFailed.of([("file", f"More than {MAX_ROWS} rows; split the file.")])
    except csv.Error as error:
        problems.append((f"line {reader.line_num}", f"Not readable as CSV: {error}."))
    if not items and not problems:
        raise ValidationFailed.of([("file", "The file has a header but no result rows.")])
    return ParsedCsv(header, items), problems


def locate(details: dict[str, list[str]], header: list[str],
           lines: list[int]) -> dict[str, list[str]]:
    """Rename 'results.3.value' to 'line 5, column 2 (value)'."""
    located: dict[str, list[str]] = {}
    for key, messages in details.items():
        parts = key.split(".")
        if parts[0] == "results" and len(parts) >= 2 and parts[1].isdigit() \
                and int(parts[1]) < len(lines):
            field = ".".join(parts[2:]) or "row"
            column_name = f"{CONDITION_PREFIX}{parts[3]}" if field.startswith("conditions.") \
                and len(parts) > 3 else field
            key = f"line {lines[int(parts[1])]}"
            if column_name in header:
                key += f", column {header.index(column_name) + 1} ({column_name})"
            elif field != "row":
                key += f" ({field})"
        located.setdefault(key, []).extend(messages)
    return located


def _located(error: ValidationFailed, parsed: ParsedCsv, lines: list[int]) -> ValidationFailed:
    details = locate(error.details, parsed.header, lines)
    count = len({k.split(",")[0] for k in details})
    return ValidationFailed(f"{count} line(s) have errors; nothing was stored.", details)


@dataclass(frozen=True)
class DryRun:
    """What an import would do: the rows with their file lines, and every problem found."""

    parsed: ParsedCsv | None
    lines: list[int]
    problems: dict[str, list[str]]


def dry_run(actor: User, application_id: int, data: bytes) -> DryRun:
    """Run every check of the import (also those needing the database) and store nothing.

    Every problem of the file is reported in one pass: structure, values and references.
    """
    try:
        parsed, structural = read_csv(data)
    except ValidationFailed as error:
        return DryRun(None, data_lines(data), error.details)
    lines = data_lines(data)
    problems: dict[str, list[str]] = {}
    for key, message in structural:
        problems.setdefault(key, []).append(message)
    if parsed.items:
        try:
            check_batch(actor, application_id, parsed.items)
        except ValidationFailed as error:
            for key, messages in locate(error.details, parsed.header, lines).items():
                problems.setdefault(key, []).extend(messages)
    return DryRun(parsed, lines, problems)


def import_results(actor: User, application_id: int, data: bytes, *,
                   progress: Callable[[int], None] | None = None) -> list[int]:
    """Parse and store a results CSV in one transaction; nothing is stored if any row is bad."""
    parsed = parse_csv(data)
    lines = data_lines(data)
    if progress:
        progress(len(parsed.items) // 2)
    try:
        ids = add_results(actor, application_id, parsed.items, source="csv")
    except ValidationFailed as error:
        raise _located(error, parsed, lines) from None
    if progress:
        progress(len(parsed.items) - len(parsed.items) // 2)
    return ids


def data_lines(data: bytes) -> list[int]:
    """Return the file line number of each non-empty data row, in order."""
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        next(reader, None)
        return [reader.line_num for row in reader if any(cell.strip() for cell in row)]
    except (UnicodeDecodeError, csv.Error):
        return []
