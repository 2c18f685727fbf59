"""Imports of units, figures and evidence from CSV or XLSX files (CONTRACT.md).

All or nothing: every row is checked first, one bad row and nothing is written
(``ImportFailed`` lists every bad row).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone, translation

from commitments import engine, selectors
from commitments.models import AuditEntry, Category, DataElement, Evidence, Figure, Unit
from commitments.services import (
    audit,
    evidence,
    figure_rows,
    figure_stream,
    figures,
    official,
    recompute,
)
from commitments.services.figure_rows import FIGURE_COLUMNS
from commitments.services.figures import FigureInput, ImportResult
from commitments.tabular import ImportFailed, Row, line_number, read_rows

CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

UNIT_COLUMNS = ("code", "name", "parent", "kind", "sector", "public_service", "receives_dossiers")
# Checked here so that a long value is a bad row, not a database error (PostgreSQL).
UNIT_MAX_LENGTH = {f: Unit._meta.get_field(f).max_length for f in ("code", "name", "sector")}


def units_import(*, path: str | Path) -> ImportResult:
    """Upsert units by ``code`` from a CSV file (CONTRACT.md: units CSV)."""
    rows = read_rows(path, UNIT_COLUMNS, xlsx=False)
    errors: list[str] = []
    stored = {u.code: u for u in Unit.objects.select_related("parent")}
    parsed: dict[str, dict] = {}
    lines: dict[str, int] = {}
    for row in rows:
        item = _unit_parse(row, lines, errors)
        if item is not None:
            parsed[item["code"]] = item
            lines[item["code"]] = row.line
    _unit_parents_check(parsed, lines, stored, errors)
    if errors:
        raise ImportFailed(sorted(set(errors), key=line_number))

    with transaction.atomic():
        created, updated, unchanged = _units_write(parsed, stored)
        if created or updated:
            recompute.recompute_request(years=selectors.engine_inputs.years_with_targets())
    return ImportResult(created, updated, unchanged)


def _unit_parse(row: Row, lines: Mapping[str, int], errors: list[str]) -> dict | None:
    """A row of the units file as a unit's fields, its problems added to ``errors``;
    None when its code is unusable (the row is left out). ``lines``: the line of each
    code already read."""
    values = row.values
    code = values["code"]
    problem = _unit_code_problem(code, lines)
    if problem:
        errors.append(row.error("code", problem))
        return None
    item = {"code": code, "parent": values["parent"] or None}
    if not values["name"]:
        errors.append(row.error("name", "is empty"))
    elif len(values["name"]) > UNIT_MAX_LENGTH["name"]:
        errors.append(row.error("name", f"is longer than {UNIT_MAX_LENGTH['name']} characters"))
    item["name"] = values["name"]
    if values["kind"] not in Unit.Kind.values:
        errors.append(
            row.error("kind", f"{values['kind']!r} is not one of {', '.join(Unit.Kind.values)}")
        )
    item["kind"] = values["kind"]
    if values["sector"] and not CODE.match(values["sector"]):
        errors.append(row.error("sector", f"{values['sector']!r} is not a code"))
    elif len(values["sector"]) > UNIT_MAX_LENGTH["sector"]:
        errors.append(row.error("sector", f"is longer than {UNIT_MAX_LENGTH['sector']} characters"))
    item["sector"] = values["sector"]
    for flag in ("public_service", "receives_dossiers"):
        if values[flag] not in ("0", "1"):
            errors.append(row.error(flag, f"{values[flag]!r} must be 0 or 1"))
        item[flag] = values[flag] == "1"
    return item


def _unit_code_problem(code: str, lines: Mapping[str, int]) -> str:
    """What is wrong with a unit's code ("" when nothing)."""
    if not code:
        return "is empty"
    if not CODE.match(code):
        return f"{code!r} may hold only letters, digits, - and _"
    if len(code) > UNIT_MAX_LENGTH["code"]:
        return f"is longer than {UNIT_MAX_LENGTH['code']} characters"
    if code in lines:
        return f"{code} already appears on line {lines[code]}"
    return ""


def _unit_parents_check(
    parsed: Mapping[str, dict],
    lines: Mapping[str, int],
    stored: Mapping[str, Unit],
    errors: list[str],
) -> None:
    """Parents: in the file or stored, never the unit itself, never a cycle."""
    parent_of = {code: (u.parent.code if u.parent else None) for code, u in stored.items()}
    parent_of.update({code: item["parent"] for code, item in parsed.items()})
    for code, item in parsed.items():
        parent = item["parent"]
        line = Row(lines[code], {})
        if parent is None:
            continue
        if parent == code:
            errors.append(line.error("parent", "a unit cannot be its own parent"))
        elif parent not in parent_of:
            errors.append(line.error("parent", f"unknown unit {parent!r}"))
        else:
            seen, walk = {code}, parent
            while walk is not None and walk not in seen:
                seen.add(walk)
                walk = parent_of.get(walk)
            if walk is not None:
                errors.append(line.error("parent", f"{parent} would make a cycle in the tree"))


def _units_write(parsed: Mapping[str, dict], stored: Mapping[str, Unit]) -> tuple[int, int, int]:
    """Create or update the units of the file, then their parents; returns how many
    were created, updated and unchanged."""
    stored_parent = {code: (u.parent.code if u.parent else None) for code, u in stored.items()}
    created = updated = unchanged = 0
    units = dict(stored)
    for code, item in parsed.items():
        fields = {k: v for k, v in item.items() if k not in ("code", "parent")}
        unit = units.get(code)
        if unit is None:
            units[code] = Unit.objects.create(code=code, **fields)
            created += 1
        elif (
            any(getattr(unit, k) != v for k, v in fields.items())
            or stored_parent[code] != item["parent"]
        ):
            for k, v in fields.items():
                setattr(unit, k, v)
            unit.save()
            updated += 1
        else:
            unchanged += 1
    # Parents once every unit of the file exists: a child may come before its parent.
    for code, item in parsed.items():
        unit = units[code]
        parent = units[item["parent"]] if item["parent"] else None
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent"])
    return created, updated, unchanged


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def figures_import(*, path: str | Path) -> ImportResult:
    """Upsert figures from a CSV or XLSX file (CONTRACT.md: figures CSV).

    Each row is checked on its own (known unit, a year and a quarter, then
    ``figures.figure_check``: known element and category, a whole number that is not
    negative, 0 or 1 for flags), then the whole file together with the figures already
    stored against the validation rules (e.g. dossiers on time cannot exceed dossiers
    resolved). The messages are in English whatever the active language.

    On PostgreSQL the file is streamed through a staging table (``figure_stream``), so
    a file of any size takes memory that does not grow with it; elsewhere it is read
    whole (``figures_import_in_memory``). Both give the same figures, messages, audit
    entries and approvals.
    """
    if connection.vendor == "postgresql":
        return figure_stream.figures_stream_import(path=path)
    return figures_import_in_memory(path=path)


def figures_import_in_memory(*, path: str | Path) -> ImportResult:
    """``figures_import`` with the whole file read first and checked in Python: the
    import on SQLite, and on PostgreSQL the reference the streamed import must agree
    with."""
    rows = read_rows(path, FIGURE_COLUMNS)
    units = {u.code: u for u in Unit.objects.all()}
    elements = {e.code: e for e in DataElement.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    errors: list[str] = []
    inputs: list[FigureInput] = []
    seen: dict[tuple, int] = {}
    with translation.override("en"):
        for row in rows:
            parsed = figure_rows.figure_row_parse(row, units, elements, categories, errors)
            if parsed is None:
                continue
            if parsed.key in seen:
                errors.append(figure_rows.duplicate_line(row.line, seen[parsed.key]))
                continue
            seen[parsed.key] = row.line
            inputs.append(parsed)
    if errors:
        # Every error of the file at once: the rules too, on the rows that parse.
        with translation.override("en"):
            broken = figures.figures_rule_violations(inputs=inputs)
            errors += [figure_rows.violation_line(v) for v in broken]
        raise ImportFailed(sorted(errors, key=lambda error: line_number(error)[0]))
    source = Path(path).name
    try:
        with transaction.atomic():
            written = _periods_written(inputs)
            result = figures.figures_save(inputs=inputs, source=source)
            # An admin's import is a trusted channel: its figures are official on
            # arrival (DOMAIN.md), so the reports they land in are approved, and say so.
            official.reports_approve_trusted(
                periods={(i.unit, i.year, i.quarter) for i in inputs},
                written=written,
                note=official.import_note(source),
            )
    except figures.RulesBroken as broken:
        with translation.override("en"):
            lines = [figure_rows.violation_line(v) for v in broken.violations]
        raise ImportFailed(sorted(lines, key=line_number)) from None
    return result


def _periods_written(inputs: list[FigureInput]) -> set[tuple[Unit, int, int]]:
    """The reports whose figures the inputs change: a new figure or another value."""
    stored = (
        Figure.objects.filter(
            year__in={i.year for i in inputs}, unit_id__in={i.unit.pk for i in inputs}
        )
        .order_by()
        .values_list("year", "quarter", "unit_id", "element_id", "category_id", "value")
    )
    values = {tuple(key): value for *key, value in stored}
    return {(i.unit, i.year, i.quarter) for i in inputs if values.get(i.key) != i.value}


# ---------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------

EVIDENCE_COLUMNS = ("date", "unit", "kind", "subject_unit", "reference", "title")


def evidence_import(*, path: str | Path) -> ImportResult:
    """Add evidence records from a CSV or XLSX file; a record already stored (same unit,
    kind, date, reference and inspected unit) is left as it is, its title updated."""
    rows = read_rows(path, EVIDENCE_COLUMNS)
    units = {u.code: u for u in Unit.objects.all()}
    errors: list[str] = []
    records: list[Evidence] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        record = _evidence_parse(row, units, errors)
        if record is None:
            continue
        key = _evidence_identity(record)
        if key in seen:
            errors.append(row.error("reference", f"the same record is already on line {seen[key]}"))
            continue
        seen[key] = row.line
        records.append(record)
    if errors:
        raise ImportFailed(errors)
    return _evidence_write(records, source=Path(path).name)


def _evidence_parse(row: Row, units: Mapping[str, Unit], errors: list[str]) -> Evidence | None:
    """A row of the evidence file as a record (not saved); None when it has problems,
    which are added to ``errors``."""
    v = row.values
    problems = []
    try:
        date = dt.date.fromisoformat(v["date"])
    except ValueError:
        date = None
        problems.append(row.error("date", f"{v['date']!r} is not a date like 2021-05-07"))
    else:
        if date > timezone.localdate():
            # As on the report's form: evidence records what has been done.
            problems.append(row.error("date", f"{date} is in the future: record what was done"))
    unit = units.get(v["unit"])
    if unit is None:
        problems.append(row.error("unit", f"unknown unit {v['unit']!r}"))
    kind = v["kind"]
    if kind not in Evidence.Kind.values:
        problems.append(
            row.error("kind", f"{kind!r} is not one of {', '.join(Evidence.Kind.values)}")
        )
    subject = None
    if kind in Evidence.INSPECTIONS:
        subject = units.get(v["subject_unit"])
        if not v["subject_unit"]:
            problems.append(row.error("subject_unit", "an inspection names the inspected unit"))
        elif subject is None:
            problems.append(row.error("subject_unit", f"unknown unit {v['subject_unit']!r}"))
    elif v["subject_unit"]:
        problems.append(row.error("subject_unit", "only inspections name an inspected unit"))
    if not v["reference"]:
        problems.append(row.error("reference", "is empty: give a reference number or link"))
    elif len(v["reference"]) > 300:
        problems.append(row.error("reference", "is longer than 300 characters"))
    if len(v["title"]) > 1000:
        problems.append(row.error("title", "is longer than 1000 characters"))
    if problems:
        errors.extend(problems)
        return None
    return Evidence(
        unit=unit,
        kind=kind,
        date=date,
        subject_unit=subject,
        reference=v["reference"],
        title=v["title"],
    )


def _evidence_identity(record: Evidence) -> tuple:
    """What makes an evidence record the same one: unit, kind, date, reference and
    inspected unit."""
    return (record.unit.pk, record.kind, record.date, record.reference, record.subject_unit_id)


def _evidence_write(records: list[Evidence], *, source: str) -> ImportResult:
    """Create the new records and update the titles of those stored, recorded in the
    audit log per report; the years of new records are recomputed."""
    with transaction.atomic():
        dates = {e.date for e in records}
        existing = {
            (e.unit_id, e.kind, e.date, e.reference, e.subject_unit_id): e
            for e in Evidence.objects.select_for_update().filter(date__in=dates)
        }
        new, changed = [], []
        history: dict[tuple[Unit, int, int], list] = {}
        for record in records:
            stored = existing.get(_evidence_identity(record))
            if stored is None:
                new.append(record)
                old_title = None
            elif stored.title != record.title:
                old_title, stored.title = stored.title, record.title
                changed.append(stored)
            else:
                continue
            history.setdefault(
                (record.unit, record.date.year, engine.quarter_of(record.date)), []
            ).append((evidence.evidence_key(record), old_title, record.title or record.reference))
        Evidence.objects.bulk_create(new, batch_size=1000)
        Evidence.objects.bulk_update(changed, ["title"], batch_size=1000)
        audit.audit_per_report(
            history,
            subject=AuditEntry.Subject.EVIDENCE,
            action=AuditEntry.Action.IMPORTED,
            label=source,
        )
        if new:
            recompute.recompute_request(years={e.date.year for e in new})
    return ImportResult(len(new), len(changed), len(records) - len(new) - len(changed))
