"""Writes: loading catalogues, importing units, figures and evidence, recomputing statuses.

Every function here validates first, writes inside ``transaction.atomic`` and queues
follow-up work with ``transaction.on_commit``. Imports are all or nothing: one bad row
and nothing is written (``ImportFailed`` lists every bad row).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from commitments import catalogue, engine, insights, selectors
from commitments.models import (
    AuditEntry,
    Category,
    Commitment,
    DataElement,
    Evidence,
    Figure,
    Indicator,
    Milestone,
    PlanTask,
    Publication,
    QuarterlyReport,
    RecomputeState,
    ReminderSent,
    Status,
    Target,
    TargetChange,
    TargetOverride,
    Unit,
    ValidationRule,
)
from commitments.tabular import ImportFailed, Row, read_rows

CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


# ---------------------------------------------------------------------------
# Audit
# ---------------------------------------------------------------------------


def audit_record(
    *,
    subject: str,
    action: str,
    user=None,
    unit: Unit | None = None,
    year: int | None = None,
    quarter: int | None = None,
    label: str = "",
    changes: Iterable[Sequence] = (),
    note: str = "",
) -> AuditEntry:
    """Record one change (nhật ký thay đổi): who did what to whose report, with each
    ``[key, old, new]``. Called inside the transaction of the change itself, so the
    record and the change are written together or not at all."""
    return AuditEntry.objects.create(
        subject=subject,
        action=action,
        user=_user_or_none(user),
        unit=unit,
        year=year,
        quarter=quarter,
        label=label[:500],
        changes=[
            [key, _audit_text(old), _audit_text(new)]
            for key, old, new in changes
            if _audit_text(old) != _audit_text(new)
        ],
        note=note,
    )


def _report_audit(report: QuarterlyReport, **entry) -> AuditEntry:
    """Record a change that belongs to a unit's report of a quarter."""
    return audit_record(unit=report.unit, year=report.year, quarter=report.quarter, **entry)


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _audit_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------


def catalogue_load(*, name: str) -> dict[str, int]:
    """Create or update a built-in catalogue: categories, data elements, validation
    rules, commitments, indicators and the catalogue year's targets. Idempotent."""
    if name not in catalogue.CATALOGUES:
        known = ", ".join(sorted(catalogue.CATALOGUES))
        raise ValueError(f"unknown catalogue {name!r}; known: {known}")
    spec = catalogue.CATALOGUES[name]
    year = spec["year"]
    with transaction.atomic():
        categories = {}
        for position, (code, kind, name_vi, name_en) in enumerate(spec["categories"]):
            categories[code], _ = Category.objects.update_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "position": position,
                },
            )
        elements = {}
        for position, (code, aggregation, category_kind, is_flag, name_vi, name_en) in enumerate(
            spec["elements"]
        ):
            elements[code], _ = DataElement.objects.update_or_create(
                code=code,
                defaults={
                    "aggregation": aggregation,
                    "category_kind": category_kind,
                    "is_flag": is_flag,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "position": position,
                },
            )
        for element, bound in spec["validation_rules"]:
            ValidationRule.objects.get_or_create(element=elements[element], bound=elements[bound])
        commitments = {}
        for position, (code, name_vi, name_en) in enumerate(spec["commitments"]):
            commitments[code], _ = Commitment.objects.update_or_create(
                code=code, defaults={"name_vi": name_vi, "name_en": name_en, "position": position}
            )
        for position, item in enumerate(spec["indicators"]):
            fields = {k: v for k, v in item.items() if k not in ("code", "target", "commitment")}
            for key in ("numerator", "denominator", "element"):
                fields[key] = elements[fields[key]] if fields.get(key) else None
            fields.setdefault("scope_kinds", [])
            fields.setdefault("scope_sectors", [])
            indicator, _ = Indicator.objects.update_or_create(
                code=item["code"],
                defaults={
                    **fields,
                    "commitment": commitments[item["commitment"]],
                    "position": position,
                },
            )
            indicator.full_clean()
            target_spec = dict(item["target"])
            overrides = target_spec.pop("overrides", [])
            target_spec.setdefault("deadline", None)
            target_spec.setdefault("baseline_year", None)
            target, _ = Target.objects.update_or_create(
                indicator=indicator, year=year, defaults=target_spec
            )
            target.overrides.all().delete()
            for override in overrides:
                TargetOverride.objects.create(
                    target=target,
                    category=categories[override["category"]] if override.get("category") else None,
                    unit_kind=override.get("unit_kind", ""),
                    unit_sector=override.get("unit_sector", ""),
                    threshold=override["threshold"],
                    comparator=override["comparator"],
                )
        recompute_request(years=[year])
    return {
        "categories": len(categories),
        "elements": len(elements),
        "validation_rules": len(spec["validation_rules"]),
        "commitments": len(commitments),
        "indicators": len(spec["indicators"]),
    }


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
        values = row.values
        code = values["code"]
        if not code:
            errors.append(row.error("code", "is empty"))
            continue
        if not CODE.match(code):
            errors.append(row.error("code", f"{code!r} may hold only letters, digits, - and _"))
            continue
        if len(code) > UNIT_MAX_LENGTH["code"]:
            errors.append(row.error("code", f"is longer than {UNIT_MAX_LENGTH['code']} characters"))
            continue
        if code in parsed:
            errors.append(row.error("code", f"{code} already appears on line {lines[code]}"))
            continue
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
            errors.append(
                row.error("sector", f"is longer than {UNIT_MAX_LENGTH['sector']} characters")
            )
        item["sector"] = values["sector"]
        for flag in ("public_service", "receives_dossiers"):
            if values[flag] not in ("0", "1"):
                errors.append(row.error(flag, f"{values[flag]!r} must be 0 or 1"))
            item[flag] = values[flag] == "1"
        parsed[code] = item
        lines[code] = row.line

    # Parents: in the file or stored, never the unit itself, never a cycle.
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
    if errors:
        raise ImportFailed(sorted(set(errors), key=_line_number))

    stored_parent = {code: (u.parent.code if u.parent else None) for code, u in stored.items()}
    created = updated = unchanged = 0
    with transaction.atomic():
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
        if created or updated:
            recompute_request(years=selectors.years_with_targets())
    return ImportResult(created, updated, unchanged)


def _line_number(error: str) -> tuple[int, str]:
    match = re.match(r"line (\d+):", error)
    return (int(match.group(1)) if match else 0, error)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

FIGURE_COLUMNS = ("year", "quarter", "unit", "element", "category", "value")


@dataclass(frozen=True)
class FigureInput:
    """One figure to save, with the row it came from (for messages)."""

    row: Row
    year: int
    quarter: int
    unit: Unit
    element: DataElement
    category: Category | None
    value: int | None  # None: remove the stored figure

    @property
    def key(self) -> tuple[int, int, int, int, int | None]:
        return (
            self.year,
            self.quarter,
            self.unit.pk,
            self.element.pk,
            self.category.pk if self.category else None,
        )


def figures_import(*, path: str | Path) -> ImportResult:
    """Upsert figures from a CSV or XLSX file (CONTRACT.md: figures CSV).

    Each row is checked on its own (known unit, element and category, a whole number
    that is not negative, 0 or 1 for flags), then the whole file together with the
    figures already stored against the validation rules (e.g. dossiers on time cannot
    exceed dossiers resolved).
    """
    rows = read_rows(path, FIGURE_COLUMNS)
    units = {u.code: u for u in Unit.objects.all()}
    elements = {e.code: e for e in DataElement.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    errors: list[str] = []
    inputs: list[FigureInput] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        parsed = _parse_figure(row, units, elements, categories, errors)
        if parsed is None:
            continue
        if parsed.key in seen:
            errors.append(
                row.error("value", f"the same figure is already on line {seen[parsed.key]}")
            )
            continue
        seen[parsed.key] = row.line
        inputs.append(parsed)
    if errors:
        raise ImportFailed(errors)
    return figures_save(inputs=inputs, source=Path(path).name)


def _parse_figure(row, units, elements, categories, errors) -> FigureInput | None:
    v = row.values
    problems = []
    year = _whole(v["year"])
    if year is None or not 2000 <= year <= 2100:
        problems.append(row.error("year", f"{v['year']!r} is not a year"))
    quarter = _whole(v["quarter"])
    if quarter is None or not 1 <= quarter <= 4:
        problems.append(row.error("quarter", f"{v['quarter']!r} must be 1, 2, 3 or 4"))
    unit = units.get(v["unit"])
    if unit is None:
        problems.append(row.error("unit", f"unknown unit {v['unit']!r}"))
    element = elements.get(v["element"])
    category = None
    if element is None:
        problems.append(row.error("element", f"unknown data element {v['element']!r}"))
    elif element.category_kind:
        category = categories.get(v["category"])
        if not v["category"]:
            problems.append(
                row.error(
                    "category", f"{element.code} is split by {element.category_kind}: name one"
                )
            )
        elif category is None or category.kind != element.category_kind:
            problems.append(
                row.error(
                    "category",
                    f"{v['category']!r} is not a {element.category_kind} of {element.code}",
                )
            )
    elif v["category"]:
        problems.append(row.error("category", f"{element.code} is not split by category"))
    value = _whole(v["value"])
    if value is None or value < 0:
        problems.append(row.error("value", f"{v['value']!r} is not a whole number of 0 or more"))
    elif element is not None and element.is_flag and value not in (0, 1):
        problems.append(row.error("value", f"{element.code} is a flag: 0 or 1, not {value}"))
    if problems:
        errors.extend(problems)
        return None
    return FigureInput(row, year, quarter, unit, element, category, value)


def _whole(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[-+]?\d+", text):
        return None
    return int(text)


def figures_save(*, inputs: list[FigureInput], user=None, source: str = "") -> ImportResult:
    """Check figures against the validation rules and upsert them, all or nothing.

    An input whose ``value`` is None removes the stored figure (a value cleared on the
    report form). Every change is recorded in the audit log, one entry per unit and
    quarter; ``source`` names the imported file (the entries of one import share a
    batch).
    """
    if not inputs:
        return ImportResult()
    years = {i.year for i in inputs}
    unit_ids = {i.unit.pk for i in inputs}
    with transaction.atomic():
        existing = {
            (f.year, f.quarter, f.unit_id, f.element_id, f.category_id): f
            for f in Figure.objects.select_for_update().filter(year__in=years, unit_id__in=unit_ids)
        }
        violations = _rule_violations(inputs, existing)
        if violations:
            raise RulesBroken([v.message for v in violations], violations)
        new, changed, removed = [], [], []
        history: dict[tuple[Unit, int, int], list[tuple[str, int | None, int | None]]] = {}
        for item in inputs:
            figure = existing.get(item.key)
            old = figure.value if figure else None
            if item.value is None:
                if figure is None:
                    continue
                removed.append(figure.pk)
            elif figure is None:
                new.append(
                    Figure(
                        year=item.year,
                        quarter=item.quarter,
                        unit=item.unit,
                        element=item.element,
                        category=item.category,
                        value=item.value,
                    )
                )
            elif figure.value != item.value:
                figure.value = item.value
                figure.updated_at = timezone.now()
                changed.append(figure)
            else:
                continue
            history.setdefault((item.unit, item.year, item.quarter), []).append(
                (selectors.audit_figure_key(item.element, item.category), old, item.value)
            )
        Figure.objects.bulk_create(new, batch_size=1000)
        Figure.objects.bulk_update(changed, ["value", "updated_at"], batch_size=1000)
        Figure.objects.filter(pk__in=removed).delete()
        _audit_per_report(
            history,
            subject=AuditEntry.Subject.FIGURES,
            action=AuditEntry.Action.IMPORTED if source else AuditEntry.Action.UPDATED,
            user=user,
            label=source,
        )
        if history:
            recompute_request(years=years_affected(years))
    unchanged = len(inputs) - len(new) - len(changed) - len(removed)
    return ImportResult(len(new), len(changed), unchanged, len(removed))


def _audit_per_report(
    history: Mapping[tuple[Unit, int, int], list],
    *,
    subject: str,
    action: str,
    user=None,
    label: str = "",
    note: str = "",
) -> None:
    """Record changes grouped by the report they belong to, one entry per (unit,
    year, quarter) of ``history``; the entries of one import share a batch."""
    batch = uuid.uuid4().hex if action == AuditEntry.Action.IMPORTED else ""
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                subject=subject,
                action=action,
                user=_user_or_none(user),
                unit=unit,
                year=year,
                quarter=quarter,
                label=label[:500],
                changes=[[key, _audit_text(old), _audit_text(new)] for key, old, new in rows],
                note=note,
                batch=batch,
            )
            for (unit, year, quarter), rows in history.items()
        ],
        batch_size=500,
    )


class RulesBroken(ImportFailed):
    """Figures that break a validation rule; ``violations`` say which figure broke
    which rule, for callers that show the refusal next to a field."""

    def __init__(self, errors: list[str], violations: list[RuleViolation]):
        super().__init__(errors)
        self.violations = violations


@dataclass(frozen=True)
class RuleViolation:
    """``low`` (``low_value``) exceeds ``high`` (``high_value``), reported on ``item``."""

    item: FigureInput
    low: DataElement
    low_value: int
    high: DataElement
    high_value: int

    @property
    def message(self) -> str:
        item = self.item
        where = f"{item.year}-Q{item.quarter} {item.unit.code}"
        if item.category:
            where += f" {item.category.code}"
        # The column is the file's ``value`` column (CONTRACT.md); the reason names
        # both elements.
        return item.row.error(
            "value",
            f"{self.low.code} ({self.low_value}) cannot exceed {self.high.code} "
            f"({self.high_value}) for {where}",
        )


def _rule_violations(inputs: list[FigureInput], existing: dict) -> list[RuleViolation]:
    """``element <= bound`` within each year, quarter, unit and category, the file's
    values taking the place of the stored ones."""
    rules = [(r.element_id, r.bound_id) for r in ValidationRule.objects.all()]
    if not rules:
        return []
    elements = DataElement.objects.in_bulk()
    values = {key: f.value for key, f in existing.items()}
    source = {}
    for item in inputs:
        if item.value is None:
            values.pop(item.key, None)
        else:
            values[item.key] = item.value
        source[item.key] = item
    violations = []
    for key, item in source.items():
        year, quarter, unit_id, element_id, category_id = key
        for low, high in rules:
            if element_id not in (low, high):
                continue
            low_key = (year, quarter, unit_id, low, category_id)
            high_key = (year, quarter, unit_id, high, category_id)
            if low_key not in values:
                continue
            low_value, high_value = values[low_key], values.get(high_key, 0)
            if low_value <= high_value:
                continue
            # Report once, on the line of the smaller element when the file has it.
            if element_id == high and low_key in source:
                continue
            violations.append(
                RuleViolation(item, elements[low], low_value, elements[high], high_value)
            )
    return sorted(violations, key=lambda v: _line_number(v.message))


def years_affected(years: Iterable[int]) -> set[int]:
    """The years whose statuses read figures of these years: themselves, and the years
    that take one of them as a baseline."""
    years = set(years)
    later = Target.objects.filter(baseline_year__in=years).values_list("year", flat=True)
    return years | set(later)


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
    records: list[tuple[Row, Evidence]] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        problems = []
        try:
            date = dt.date.fromisoformat(v["date"])
        except ValueError:
            date = None
            problems.append(row.error("date", f"{v['date']!r} is not a date like 2021-05-07"))
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
            continue
        key = (unit.pk, kind, date, v["reference"], subject.pk if subject else None)
        if key in seen:
            errors.append(row.error("reference", f"the same record is already on line {seen[key]}"))
            continue
        seen[key] = row.line
        records.append(
            (
                row,
                Evidence(
                    unit=unit,
                    kind=kind,
                    date=date,
                    subject_unit=subject,
                    reference=v["reference"],
                    title=v["title"],
                ),
            )
        )
    if errors:
        raise ImportFailed(errors)

    with transaction.atomic():
        dates = {e.date for _, e in records}
        existing = {
            (e.unit_id, e.kind, e.date, e.reference, e.subject_unit_id): e
            for e in Evidence.objects.select_for_update().filter(date__in=dates)
        }
        new, changed = [], []
        history: dict[tuple[Unit, int, int], list] = {}
        for _, record in records:
            key = (
                record.unit.pk,
                record.kind,
                record.date,
                record.reference,
                record.subject_unit_id,
            )
            stored = existing.get(key)
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
            ).append((_evidence_key(record), old_title, record.title or record.reference))
        Evidence.objects.bulk_create(new, batch_size=1000)
        Evidence.objects.bulk_update(changed, ["title"], batch_size=1000)
        _audit_per_report(
            history,
            subject=AuditEntry.Subject.EVIDENCE,
            action=AuditEntry.Action.IMPORTED,
            label=Path(path).name,
        )
        if new:
            recompute_request(years={e.date.year for e in new})
    return ImportResult(len(new), len(changed), len(records) - len(new) - len(changed))


# ---------------------------------------------------------------------------
# Statuses
# ---------------------------------------------------------------------------

STATUS_FIELDS = ["value", "target", "comparator", "status", "detail", "computed_at"]


def statuses_recompute(*, year: int, as_of: dt.date | None = None) -> int:
    """Recompute every status of a year and write them in bulk; returns how many.

    The read is a fixed number of queries whatever the number of units and indicators
    (``selectors.engine_inputs``); rows are upserted on their natural key and rows that
    no longer apply are removed, so running it twice leaves the same table. The year's
    ``RecomputeState`` row is locked meanwhile, so two recomputes of a year (two
    workers, or a worker and the command) take turns instead of interleaving.
    """
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        RecomputeState.objects.get_or_create(year=year)
        state = RecomputeState.objects.select_for_update().get(year=year)
        indicators, data, ids = selectors.engine_inputs(year=year)
        rows = engine.compute_statuses(indicators, data, year=year, as_of=as_of)
        now = timezone.now()
        statuses = [
            Status(
                indicator_id=ids.indicators[row.indicator],
                unit_id=row.unit_id,
                category=row.category,
                year=row.year,
                quarter=row.quarter,
                value=to_decimal(row.value),
                target=row.target,
                comparator=row.comparator or "",
                status=row.status,
                detail=_jsonable(row.detail),
                computed_at=now,
            )
            for row in rows
        ]
        Status.objects.bulk_create(
            statuses,
            update_conflicts=True,
            unique_fields=["indicator", "unit", "category", "year", "quarter"],
            update_fields=STATUS_FIELDS,
            batch_size=2000,
        )
        Status.objects.filter(year=year).exclude(computed_at=now).delete()
        state.computed_at = now
        state.status_count = len(statuses)
        state.save(update_fields=["computed_at", "status_count"])
    return len(statuses)


def to_decimal(value: Fraction | None, places: int = 10) -> Decimal | None:
    """A fraction as a Decimal rounded half up (for storage and display only; the
    status was judged on the exact fraction)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _jsonable(value):
    if isinstance(value, Fraction):
        return str(to_decimal(value, 4).normalize())
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def recompute_request(*, years: Iterable[int]) -> None:
    """Queue a recompute of each year once the current transaction commits.

    Coalesced twice over. Within one transaction, every request joins a single
    on-commit callback, so an import or a catalogue load queues each year once. Across
    transactions and processes, the first request flips the year's ``pending`` flag
    with a conditional UPDATE and queues the task with a short countdown; requests
    that find it pending queue nothing. The task clears the flag before it reads, so a
    save during a recompute queues the next one; a request pending for too long (a
    lost task) is queued again.
    """
    years = set(years)
    if not years:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _, callback, _ in connection.run_on_commit:
            if isinstance(callback, _RecomputeOnCommit) and not callback.called:
                callback.years |= years
                return
    transaction.on_commit(_RecomputeOnCommit(years))


class _RecomputeOnCommit:
    """The on-commit callback of ``recompute_request``: queues each year once."""

    def __init__(self, years: set[int]):
        self.years = years
        self.called = False

    def __call__(self) -> None:
        from commitments.tasks import recompute_year

        self.called = True
        now = timezone.now()
        stale = now - dt.timedelta(minutes=10)
        for year in sorted(self.years):
            RecomputeState.objects.get_or_create(year=year)
            claimed = (
                RecomputeState.objects.filter(year=year)
                .filter(Q(pending=False) | Q(requested_at__lt=stale))
                .update(pending=True, requested_at=now)
            )
            if claimed:
                recompute_year.apply_async(args=[year], countdown=settings.RECOMPUTE_DELAY_SECONDS)


def recompute_claim(*, year: int) -> None:
    """Clear a year's pending flag before its recompute reads anything."""
    RecomputeState.objects.filter(year=year).update(pending=False)


# ---------------------------------------------------------------------------
# Targets: preparing a year, editing a target, and the history of both
# ---------------------------------------------------------------------------

# The fields of a target an admin edits; indicator and year are its identity.
TARGET_FIELDS = (
    "threshold",
    "comparator",
    "deadline",
    "baseline_year",
    "baseline_value",
    "wording",
)

# "năm 2021" in a target's wording: the year moves with a copy.
_WORDING_YEAR = re.compile(r"(?<=năm )(19|20|21)(\d\d)\b")


class TargetsCopyRefused(ValueError):
    """A year cannot be prepared from another; the message says why."""


@dataclass(frozen=True)
class OverrideInput:
    """A scoped threshold (ngưỡng riêng) as the edit form gives it."""

    threshold: Decimal
    comparator: str
    category: Category | None = None
    unit_kind: str = ""
    unit_sector: str = ""

    def to_engine(self) -> engine.Override:
        return engine.Override(
            threshold=self.threshold,
            comparator=self.comparator,
            category=self.category.code if self.category else None,
            unit_kind=self.unit_kind,
            unit_sector=self.unit_sector,
        )


def targets_copy_year(*, source_year: int, year: int, user=None) -> int:
    """Prepare a year's targets (chuẩn bị mục tiêu năm mới) from another year's; returns
    how many targets were created.

    Every target of ``source_year`` is copied with its scoped overrides. Deadlines move
    to the same day in the new year. A target measured against a baseline year is
    measured against the year before the new one (growth on the previous year), and a
    typed baseline value is dropped: it was the value of the old baseline year. "năm
    2021" in the wording moves with the year. Each new target is recorded in the
    history, and the new year is recomputed once the transaction commits.

    Refuses with ``TargetsCopyRefused`` when the new year already has targets (edit
    them instead) or the source year has none.
    """
    delta = year - source_year
    if not 2000 <= year <= 2100:
        raise TargetsCopyRefused(gettext("Năm phải từ 2000 đến 2100."))
    with transaction.atomic():
        if Target.objects.filter(year=year).exists():
            raise TargetsCopyRefused(_already_prepared(year))
        sources = list(
            Target.objects.filter(year=source_year)
            .select_related("indicator")
            .prefetch_related("overrides__category")
        )
        if not sources:
            raise TargetsCopyRefused(
                gettext("Năm %(year)s chưa có mục tiêu nào để sao chép.") % {"year": source_year}
            )
        history = []
        try:
            # A savepoint: a concurrent copy of the same year fails on the unique
            # (indicator, year) constraint, and is then refused like any other.
            with transaction.atomic():
                for source in sources:
                    target = Target.objects.create(
                        indicator=source.indicator,
                        year=year,
                        threshold=source.threshold,
                        comparator=source.comparator,
                        deadline=_same_day(source.deadline, delta),
                        baseline_year=year - 1 if source.baseline_year is not None else None,
                        baseline_value=None,
                        wording=_WORDING_YEAR.sub(
                            lambda m: str(int(m.group(0)) + delta), source.wording
                        ),
                    )
                    for override in source.overrides.all():
                        TargetOverride.objects.create(
                            target=target,
                            category=override.category,
                            unit_kind=override.unit_kind,
                            unit_sector=override.unit_sector,
                            threshold=override.threshold,
                            comparator=override.comparator,
                        )
                    before = {"year": source_year, **_target_snapshot(source)}
                    after = {"year": year, **_target_snapshot(target, source.overrides.all())}
                    history.append(
                        TargetChange(
                            user=user,
                            target=target,
                            indicator_code=source.indicator.code,
                            year=year,
                            action=TargetChange.Action.COPIED,
                            changes=_differences(before, after),
                        )
                    )
        except IntegrityError:
            raise TargetsCopyRefused(_already_prepared(year)) from None
        TargetChange.objects.bulk_create(history)
        # The saves above queue it too (signals); asked once more for bulk callers.
        recompute_request(years=[year])
    return len(sources)


def target_update(
    *,
    target: Target,
    data: Mapping[str, object],
    overrides: Sequence[OverrideInput],
    user=None,
    note: str = "",
) -> TargetChange | None:
    """Save a target's threshold, comparator, deadline, baseline and wording (the keys
    of ``data`` among ``TARGET_FIELDS``) and replace its scoped overrides.

    Validated by the models' ``full_clean`` (``ValidationError``, nothing saved). The
    change is recorded in the history with each field's old and new value; the saves
    queue a recompute of the year (signals). Returns the history entry, or ``None``
    when nothing changed (nothing is written).
    """
    with transaction.atomic():
        # Re-read and lock: the form's instance has already taken the new values, and
        # two admins saving at once must each record what they really replaced.
        stored = (
            Target.objects.select_for_update()
            .select_related("indicator")
            .prefetch_related("overrides__category")
            .get(pk=target.pk)
        )
        before = _target_snapshot(stored)
        for name in TARGET_FIELDS:
            if name in data:
                setattr(stored, name, data[name])
        stored.full_clean()
        new_overrides = [
            TargetOverride(
                target=stored,
                category=o.category,
                unit_kind=o.unit_kind,
                unit_sector=o.unit_sector,
                threshold=o.threshold,
                comparator=o.comparator,
            )
            for o in overrides
        ]
        for override in new_overrides:
            override.full_clean()
        changes = _differences(before, _target_snapshot(stored, new_overrides))
        if not changes:
            return None
        fields = [name for name in TARGET_FIELDS if name in changes]
        if fields:
            stored.save(update_fields=fields)
        if "overrides" in changes:
            stored.overrides.all().delete()
            for override in new_overrides:
                override.save()
        entry = TargetChange.objects.create(
            user=user,
            target=stored,
            indicator_code=stored.indicator.code,
            year=stored.year,
            action=TargetChange.Action.UPDATED,
            changes=changes,
            note=note,
        )
    target.refresh_from_db()
    return entry


def _already_prepared(year: int) -> str:
    return gettext("Năm %(year)s đã có mục tiêu: hãy sửa từng mục tiêu thay vì sao chép.") % {
        "year": year
    }


def _same_day(day: dt.date | None, years: int) -> dt.date | None:
    """The same day ``years`` later; 29 February becomes the 28th in a common year."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _target_snapshot(target: Target, overrides: Iterable[TargetOverride] | None = None) -> dict:
    """A target's edited fields and overrides as the history stores them (text)."""
    overrides = target.overrides.all() if overrides is None else overrides
    snapshot = {name: _history_value(getattr(target, name)) for name in TARGET_FIELDS}
    snapshot["overrides"] = sorted(_override_text(o) for o in overrides)
    return snapshot


def _override_text(override: TargetOverride) -> str:
    """E.g. "land: >= 96", "division, education: > 90"."""
    scope = ", ".join(
        part
        for part in (
            override.category.code if override.category else "",
            override.unit_kind,
            override.unit_sector,
        )
        if part
    )
    return f"{scope}: {override.comparator} {_history_value(override.threshold)}"


def _history_value(value):
    """JSON-ready and readable: 96 rather than 96.0000, dates as 2026-12-31."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _differences(before: dict, after: dict) -> dict[str, list]:
    """``{field: [old, new]}`` for each field whose value differs; "" counts as empty."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if (before.get(name) or None) != (after.get(name) or None)
    }


# --- quarterly reports ---

# The key of a report's figure: (element code, category code or None).
FigureKey = tuple[str, str | None]
NON_FIELD = "__all__"


class ReportRefused(Exception):
    """A report action refused, nothing written; ``errors`` maps a field name
    (``selectors.report_field``, ``comment``, ``reason`` or ``"__all__"``) to a message in the
    active language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _report_stored(report: QuarterlyReport) -> QuarterlyReport:
    """The report's row, created as a draft on its first write (opening the page
    writes nothing)."""
    if report.pk is None:
        report, _ = QuarterlyReport.objects.get_or_create(
            unit=report.unit, year=report.year, quarter=report.quarter
        )
    return report


def report_save(
    *,
    report: QuarterlyReport,
    values: Mapping[FigureKey, str],
    version: int,
    user=None,
) -> ImportResult:
    """Save the figures typed on a quarterly report (lưu nháp báo cáo quý), all or nothing.

    Each value must be a whole number of 0 or more (0 or 1 for flags); an empty value
    removes the figure stored for the quarter, if any. The figures go through
    ``figures_save``, so the validation rules are checked against the quarter's other
    figures and every change is recorded with ``user``. Refused (``ReportRefused``,
    nothing written) while the report is submitted or approved, and when ``version``
    is not the stored one: someone else saved meanwhile, and saving would silently
    undo their work. The report's version grows by one.
    """
    errors: dict[str, str] = {}
    elements = {e.code: e for e in DataElement.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    stored = set(
        Figure.objects.filter(
            unit=report.unit, year=report.year, quarter=report.quarter
        ).values_list("element__code", "category__code")
    )
    inputs: list[FigureInput] = []
    for (element_code, category_code), text in values.items():
        field = selectors.report_field(element_code, category_code)
        element = elements.get(element_code)
        category = categories.get(category_code) if category_code else None
        if (
            element is None
            or bool(element.category_kind) != bool(category_code)
            or (category_code and (category is None or category.kind != element.category_kind))
        ):
            errors[field] = gettext("Không có số liệu này trong báo cáo.")
            continue
        text = (text or "").strip()
        if not text:
            value = None
            if (element_code, category_code) not in stored:
                continue
        else:
            value = _whole(text)
            if value is None or value < 0:
                errors[field] = gettext("Nhập một số nguyên từ 0 trở lên.")
                continue
            if element.is_flag and value not in (0, 1):
                errors[field] = gettext("Chỉ nhập 0 (chưa) hoặc 1 (có).")
                continue
        inputs.append(
            FigureInput(
                Row(0, {"field": field}),
                report.year,
                report.quarter,
                report.unit,
                element,
                category,
                value,
            )
        )
    if errors:
        raise ReportRefused(errors)
    with transaction.atomic():
        row = _report_stored(report)
        bumped = QuarterlyReport.objects.filter(
            pk=row.pk, version=version, state__in=QuarterlyReport.EDITABLE
        ).update(version=F("version") + 1, updated_at=timezone.now())
        if bumped != 1:
            raise ReportRefused({NON_FIELD: _report_not_editable(row, version)})
        try:
            result = figures_save(inputs=inputs, user=user)
        except RulesBroken as broken:
            raise ReportRefused(
                {
                    v.item.row.values["field"]: gettext(
                        "%(low)s (%(low_value)s) không được lớn hơn %(high)s (%(high_value)s)."
                    )
                    % {
                        "low": v.low.name,
                        "low_value": v.low_value,
                        "high": v.high.name,
                        "high_value": v.high_value,
                    }
                    for v in broken.violations
                }
            ) from None
    _report_refresh(report, row)
    return result


def _report_refresh(report: QuarterlyReport, row: QuarterlyReport) -> None:
    """Bring the caller's instance up to the stored row (it may have been unsaved)."""
    report.pk = row.pk
    report.refresh_from_db()
    report._state.adding = False


def _report_editable_row(report: QuarterlyReport) -> QuarterlyReport:
    """The report's row, locked, when its staff may still change it; else refused.
    Call inside a transaction."""
    row = _report_stored(report)
    row = QuarterlyReport.objects.select_for_update().get(pk=row.pk)
    if not row.editable:
        raise ReportRefused(
            {
                NON_FIELD: gettext("Báo cáo đang ở trạng thái “%(state)s”: không thể sửa.")
                % {"state": row.get_state_display()}
            }
        )
    return row


def evidence_add(
    *,
    report: QuarterlyReport,
    user,
    kind: str,
    date: dt.date,
    reference: str,
    title: str = "",
    subject_unit: Unit | None = None,
    file=None,
    link: str = "",
) -> Evidence:
    """Add an evidence record (minh chứng) to a unit's quarterly report, with its
    document as an uploaded ``file`` (already checked by type and size) or a ``link``.
    Refused while the report is not in its staff's hands, and when the same record is
    already stored. The statuses are recomputed after commit."""
    with transaction.atomic():
        row = _report_editable_row(report)
        evidence = Evidence(
            unit=row.unit,
            kind=kind,
            date=date,
            subject_unit=subject_unit,
            reference=reference.strip(),
            title=title.strip(),
            link=link,
            created_by=_user_or_none(user),
        )
        if file is not None:
            evidence.file_name = Path(file.name).name[:255]
        try:
            with transaction.atomic():
                if file is not None:
                    evidence.file.save(file.name, file, save=False)
                evidence.save()
                _report_audit(
                    row,
                    subject=AuditEntry.Subject.EVIDENCE,
                    action=AuditEntry.Action.CREATED,
                    user=user,
                    label=_evidence_key(evidence),
                    changes=[(name, None, value) for name, value in _evidence_fields(evidence)],
                )
        except BaseException as error:
            # The row was not written: the file must not stay behind.
            if evidence.file:
                evidence.file.delete(save=False)
            if isinstance(error, IntegrityError):
                raise ReportRefused(
                    {"reference": gettext("Minh chứng này (cùng loại, ngày và số) đã có.")}
                ) from None
            raise
        recompute_request(years=[date.year])
    return evidence


def evidence_delete(*, report: QuarterlyReport, user, evidence: Evidence) -> None:
    """Remove an evidence record of the report's unit and quarter, and its file once the
    removal is committed. Refused while the report is not in its staff's hands."""
    first, last = engine.period_bounds(report.year, report.quarter)
    if evidence.unit_id != report.unit_id or not first <= evidence.date <= last:
        raise ReportRefused({NON_FIELD: gettext("Minh chứng này không thuộc báo cáo.")})
    with transaction.atomic():
        row = _report_editable_row(report)
        _report_audit(
            row,
            subject=AuditEntry.Subject.EVIDENCE,
            action=AuditEntry.Action.DELETED,
            user=user,
            label=_evidence_key(evidence),
            changes=[(name, value, None) for name, value in _evidence_fields(evidence)],
        )
        name = evidence.file.name if evidence.file else ""
        evidence.delete()
        if name:
            storage = evidence.file.storage
            transaction.on_commit(lambda: storage.delete(name))
        recompute_request(years=[evidence.date.year])


def plan_save(
    *,
    report: QuarterlyReport,
    user,
    tasks: Mapping[int, tuple[str, str]],
    milestones: Mapping[int, tuple[str, str]],
) -> int:
    """Tick the unit's plan tasks and milestones of the year on its quarterly report:
    for each id, the day it was done (ISO text, empty: not done) and its evidence.
    All or nothing; errors are keyed ``task-<id>-done``, ``milestone-<id>-evidence``…
    A day must be in the report's year and not after today, and a done item names its
    evidence. Returns how many items changed; each change is recorded."""
    today = timezone.localdate()
    items = [
        ("task", AuditEntry.Subject.PLAN_TASK, PlanTask, tasks),
        ("milestone", AuditEntry.Subject.MILESTONE, Milestone, milestones),
    ]
    errors: dict[str, str] = {}
    updates: list[tuple[str, object, dt.date | None, str]] = []
    for prefix, subject, model, typed in items:
        stored = model.objects.filter(unit=report.unit, year=report.year).in_bulk(list(typed))
        for pk, (day_text, reference) in typed.items():
            item = stored.get(pk)
            if item is None:
                errors[NON_FIELD] = gettext("Danh sách nhiệm vụ đã thay đổi: hãy tải lại trang.")
                continue
            field = f"{prefix}-{pk}"
            reference = (reference or "").strip()[:300]
            day = None
            if (day_text or "").strip():
                try:
                    day = dt.date.fromisoformat(day_text.strip())
                except ValueError:
                    errors[f"{field}-done"] = gettext("Ngày không hợp lệ.")
                    continue
                if day > today:
                    errors[f"{field}-done"] = gettext("Ngày chưa đến: chỉ ghi việc đã làm.")
                elif day.year != report.year:
                    errors[f"{field}-done"] = gettext(
                        "Ngày hoàn thành phải trong năm %(year)s."
                    ) % {"year": report.year}
                elif not reference:
                    errors[f"{field}-evidence"] = gettext(
                        "Ghi minh chứng (số văn bản hoặc đường dẫn) của việc đã hoàn thành."
                    )
            if day != item.done_on or reference != item.evidence_reference:
                updates.append((subject, item, day, reference))
    if errors:
        raise ReportRefused(errors)
    with transaction.atomic():
        row = _report_editable_row(report)
        for subject, item, day, reference in updates:
            changes = [
                [name, old, new]
                for name, old, new in (
                    ("done_on", item.done_on, day),
                    ("evidence_reference", item.evidence_reference, reference),
                )
                if old != new
            ]
            item.done_on, item.evidence_reference = day, reference
            item.save(update_fields=["done_on", "evidence_reference"])
            _report_audit(
                row,
                subject=subject,
                action=AuditEntry.Action.UPDATED,
                user=user,
                label=str(item),
                changes=changes,
            )
        if updates:
            recompute_request(years=[report.year])
    return len(updates)


def _evidence_fields(evidence: Evidence) -> list[tuple[str, str | None]]:
    """What the audit log keeps of an evidence record added or removed."""
    subject = evidence.subject_unit.code if evidence.subject_unit_id else None
    return [
        ("kind", evidence.kind),
        ("title", evidence.title),
        ("subject_unit", subject),
        ("file", evidence.file_name),
        ("link", evidence.link),
    ]


def _evidence_key(evidence: Evidence) -> str:
    """An evidence record in the audit log: its reference and date (its kind is one
    of the changes, so that it reads in the reader's language)."""
    return f"{evidence.reference} ({evidence.date:%d/%m/%Y})"


def _report_not_editable(report: QuarterlyReport, version: int) -> str:
    """Why a save found no editable row at the version the form was read at."""
    stored = QuarterlyReport.objects.get(pk=report.pk)
    if stored.state not in QuarterlyReport.EDITABLE:
        return gettext("Báo cáo đang ở trạng thái “%(state)s”: không thể sửa số liệu.") % {
            "state": stored.get_state_display()
        }
    return gettext(
        "Người khác đã lưu báo cáo này trong lúc bạn nhập (phiên bản %(stored)s, bạn mở "
        "phiên bản %(version)s). Chưa lưu gì: hãy tải lại trang rồi nhập lại."
    ) % {"stored": stored.version, "version": version}


def _report_move(
    *,
    report: QuarterlyReport,
    old: Sequence[str],
    new: str,
    refusal: str,
    user,
    action: str,
    note: str = "",
    **fields,
) -> QuarterlyReport:
    """Move a report from one of the ``old`` states to ``new`` with a conditional
    UPDATE, so two people acting at once cannot both succeed; refused unless exactly
    one row changed. The move is recorded in the audit log with ``note``."""
    with transaction.atomic():
        row = _report_stored(report)
        before = QuarterlyReport.objects.filter(pk=row.pk).values_list("state", flat=True).first()
        changed = QuarterlyReport.objects.filter(pk=row.pk, state__in=old).update(
            state=new, version=F("version") + 1, updated_at=timezone.now(), **fields
        )
        if changed != 1:
            raise ReportRefused({NON_FIELD: refusal})
        _report_audit(
            row,
            subject=AuditEntry.Subject.REPORT,
            action=action,
            user=user,
            changes=[["state", before, new]],
            note=note,
        )
    _report_refresh(report, row)
    return report


def report_submit(
    *,
    report: QuarterlyReport,
    user,
    values: Mapping[FigureKey, str] | None = None,
    version: int | None = None,
) -> QuarterlyReport:
    """Submit a draft or returned report to the director (gửi báo cáo), after saving the
    typed ``values`` when given (both or neither)."""
    with transaction.atomic():
        if values is not None:
            report_save(report=report, values=values, version=version, user=user)
        return _report_move(
            report=report,
            old=QuarterlyReport.EDITABLE,
            new=QuarterlyReport.State.SUBMITTED,
            refusal=gettext("Chỉ gửi được báo cáo đang soạn hoặc bị trả lại."),
            user=user,
            action=AuditEntry.Action.SUBMITTED,
            submitted_at=timezone.now(),
            submitted_by=user,
            first_submitted_at=Coalesce(
                F("first_submitted_at"), Value(timezone.now(), output_field=DateTimeField())
            ),
        )


def report_approve(*, report: QuarterlyReport, user) -> QuarterlyReport:
    """Approve a submitted report (duyệt báo cáo); it becomes read-only, and the
    year's statuses are recomputed."""
    with transaction.atomic():
        _report_move(
            report=report,
            old=[QuarterlyReport.State.SUBMITTED],
            new=QuarterlyReport.State.APPROVED,
            refusal=gettext("Chỉ duyệt được báo cáo đã gửi."),
            user=user,
            action=AuditEntry.Action.APPROVED,
            decided_at=timezone.now(),
            decided_by=user,
            comment="",
        )
        recompute_request(years=[report.year])
    return report


def report_return(*, report: QuarterlyReport, user, comment: str) -> QuarterlyReport:
    """Return a submitted report to its staff with the director's comment (trả lại)."""
    comment = (comment or "").strip()
    if not comment:
        raise ReportRefused({"comment": gettext("Hãy ghi lý do trả lại báo cáo.")})
    return _report_move(
        report=report,
        old=[QuarterlyReport.State.SUBMITTED],
        new=QuarterlyReport.State.RETURNED,
        refusal=gettext("Chỉ trả lại được báo cáo đã gửi."),
        user=user,
        action=AuditEntry.Action.RETURNED,
        note=comment,
        decided_at=timezone.now(),
        decided_by=user,
        comment=comment,
    )


def report_reopen(*, report: QuarterlyReport, user, reason: str) -> QuarterlyReport:
    """Reopen a submitted or approved report as a draft (mở lại); admins only, with a
    reason, which is kept as the report's comment."""
    if not getattr(user, "is_superuser", False):
        raise ReportRefused({NON_FIELD: gettext("Chỉ quản trị viên được mở lại báo cáo.")})
    reason = (reason or "").strip()
    if not reason:
        raise ReportRefused({"reason": gettext("Hãy ghi lý do mở lại báo cáo.")})
    return _report_move(
        report=report,
        old=[QuarterlyReport.State.SUBMITTED, QuarterlyReport.State.APPROVED],
        new=QuarterlyReport.State.DRAFT,
        refusal=gettext("Chỉ mở lại được báo cáo đã gửi hoặc đã duyệt."),
        user=user,
        action=AuditEntry.Action.REOPENED,
        note=reason,
        decided_at=timezone.now(),
        decided_by=user,
        comment=reason,
    )


# --- report reminders (nhắc nộp báo cáo) ---


def report_reminders_send(*, today: dt.date) -> int:
    """Remind the staff of every unit whose quarterly report is not yet submitted (nhắc
    nộp báo cáo), on each day ``REPORT_REMINDER_OFFSETS`` days from the quarter's
    deadline (negative: before it); returns how many emails were sent.

    Each person gets an email of their own, so that no one sees another's address.
    Reminded are the active staff with an email of each division and affiliated unit
    whose report is not started, a draft or returned.

    Once per unit, quarter and offset: a ``ReminderSent`` row is inserted first, in a
    savepoint, and the unique constraint decides. A second run the same day, or a second
    worker running at the same time, finds the row (or waits for the first to commit
    and then finds it) and sends nothing. The emails go once the rows are committed
    (``transaction.on_commit``), so a rolled back run sends nothing. At most once: if
    the mail server fails after the commit, the row stays and that reminder is not sent
    again; the next offset's reminder still goes.
    """
    # The deadline a reminder is due for today, and its offset from it.
    offset_on = {
        today - dt.timedelta(days=offset): offset for offset in settings.REPORT_REMINDER_OFFSETS
    }
    messages: list[EmailMultiAlternatives] = []
    with transaction.atomic():
        for year, quarter, deadline in selectors.report_quarters_due(days=set(offset_on)):
            offset = offset_on[deadline]
            completeness = selectors.report_completeness(
                scope=selectors.ALL_UNITS, year=year, quarter=quarter, today=today
            )
            owing = [row for row in completeness.units if not row.submitted]
            recipients = selectors.report_reminder_recipients(
                unit_ids={row.unit.pk for row in owing}
            )
            for row in owing:
                people = recipients.get(row.unit.pk, [])
                if not _reminder_claim(
                    unit=row.unit, year=year, quarter=quarter, offset=offset, recipients=len(people)
                ):
                    continue
                messages.extend(
                    _reminder_email(
                        user=user,
                        row=row,
                        year=year,
                        quarter=quarter,
                        deadline=deadline,
                        today=today,
                    )
                    for user in people
                )
        if messages:
            transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)


def _reminder_claim(*, unit: Unit, year: int, quarter: int, offset: int, recipients: int) -> bool:
    """Record the reminder; False when it is already recorded (sent, or being sent by
    another run that has not committed yet)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                unit=unit, year=year, quarter=quarter, offset=offset, recipients=recipients
            )
    except IntegrityError:
        return False
    return True


def _reminder_email(
    *,
    user,
    row: selectors.UnitReporting,
    year: int,
    quarter: int,
    deadline: dt.date,
    today: dt.date,
) -> EmailMultiAlternatives:
    """One person's reminder: a subject, a text body and the same in HTML, in the
    site's language (there is no per-user language yet)."""
    path = reverse("commitments:quarterly_report", args=[row.unit.code, year, quarter])
    context = {
        "name": user.get_full_name() or user.get_username(),
        "unit": row.unit,
        "state": row.state,
        "year": year,
        "quarter": quarter,
        "deadline": deadline,
        "days_left": max((deadline - today).days, 0),
        "days_late": max((today - deadline).days, 0),
        "url": f"{settings.SITE_URL.rstrip('/')}{path}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emails/report_reminder_subject.txt", context)
        text = render_to_string("emails/report_reminder.txt", context)
        html = render_to_string("emails/report_reminder.html", context)
    email = EmailMultiAlternatives(" ".join(subject.split()), text, to=[user.email])
    email.attach_alternative(html, "text/html")
    return email


# --- publishing a period's results (công bố kết quả) ---


class PublishRefused(ValueError):
    """Publishing refused, nothing written; the message is in the active language."""


def results_publish(
    *, department: Unit, year: int, quarter: int, user, note: str = ""
) -> Publication:
    """Publish a department's results of a period (công bố kết quả) on ``/results/``:
    a frozen snapshot of its stored statuses, which the public sees until the period
    is published again. Publishing again replaces the snapshot; each publication is
    recorded in the audit log with the commitments whose status changed.

    Only a superuser or a director of the department may (``PermissionDenied``), and
    only a period that is over: a quarter after its last day, the year to date
    (``quarter`` 0) after 31 December (``PublishRefused``).
    """
    scope = selectors.user_scope(user=user)
    if not selectors.may_publish(scope=scope, department=department):
        raise PermissionDenied(gettext("Chỉ lãnh đạo Sở hoặc quản trị viên được công bố kết quả."))
    if quarter not in (engine.YEAR, 1, 2, 3, 4):
        raise PublishRefused(gettext("Kỳ không hợp lệ."))
    if not selectors.period_ended(year=year, quarter=quarter):
        if quarter == engine.YEAR:
            message = gettext("Năm %(year)s chưa kết thúc: chỉ công bố được kỳ đã kết thúc.")
        else:
            message = gettext(
                "Quý %(quarter)s năm %(year)s chưa kết thúc: chỉ công bố được kỳ đã kết thúc."
            )
        raise PublishRefused(message % {"quarter": quarter, "year": year})
    note = (note or "").strip()
    with transaction.atomic():
        snapshot = _results_snapshot(department=department, year=year, quarter=quarter)
        if not any(c["indicators"] for c in snapshot["commitments"]):
            raise PublishRefused(gettext("Kỳ này chưa có trạng thái nào để công bố."))
        before = (
            Publication.objects.select_for_update()
            .filter(unit=department, year=year, quarter=quarter)
            .values_list("snapshot", flat=True)
            .first()
        )
        publication, _created = Publication.objects.update_or_create(
            unit=department,
            year=year,
            quarter=quarter,
            defaults={
                "published_at": timezone.now(),
                "published_by": _user_or_none(user),
                "snapshot": snapshot,
                "note": note,
            },
        )
        audit_record(
            subject=AuditEntry.Subject.PUBLICATION,
            action=AuditEntry.Action.PUBLISHED,
            user=user,
            unit=department,
            year=year,
            quarter=quarter,
            label=engine.period_label(year, quarter),
            changes=_snapshot_changes(before or {}, snapshot),
            note=note,
        )
    return publication


def _results_snapshot(*, department: Unit, year: int, quarter: int) -> dict:
    """What the public page shows of a department's period, as plain JSON: each
    commitment (code, names, status; "" and no indicators when it is judged only on
    another period) and each indicator judged in the period (code,
    names, kind, value and target as text, comparator, status, and its categories),
    read from the stored statuses the dashboard reads. Names no person."""
    statuses = selectors.year_statuses(year=year, unit=department)
    categories = {c.code: c for c in Category.objects.all()}
    cards = insights.commitment_cards(
        statuses,
        unit=department,
        quarter=quarter,
        is_open=False,
        category_names={code: c.name_vi for code, c in categories.items()},
        unit_names={},
    )

    def text(value: Decimal | None) -> str | None:
        return None if value is None else format(value, "f")  # "0.0000000000", not "0E-10"

    def judged(row: Status) -> dict:
        return {
            "value": text(row.value),
            "target": text(row.target),
            "comparator": row.comparator,
            "status": row.status,
        }

    def category(row: Status) -> dict:
        known = categories.get(row.category)
        return {
            "code": row.category,
            "name_vi": known.name_vi if known else row.category,
            "name_en": known.name_en if known else "",
            **judged(row),
        }

    period_rows = [s for s in statuses if s.quarter == quarter]
    computed_at = max((s.computed_at for s in period_rows), default=None)
    return {
        "computed_at": computed_at.isoformat() if computed_at else None,
        "commitments": [
            {
                "code": card.commitment.code,
                "name_vi": card.commitment.name_vi,
                "name_en": card.commitment.name_en,
                "status": card.status,
                "indicators": [
                    {
                        "code": reading.indicator.code,
                        "name_vi": reading.indicator.name_vi,
                        "name_en": reading.indicator.name_en,
                        "kind": reading.indicator.kind,
                        **judged(reading.row),
                        "categories": [category(c) for c in reading.categories],
                    }
                    for reading in card.shown
                ],
            }
            for card in cards
        ],
    }


def _snapshot_changes(before: Mapping, after: Mapping) -> list[list]:
    """``[code, old status, new status]`` of each commitment ("5") and indicator
    ("5.1"), and the time the published statuses were computed: what a republication
    changed."""

    def statuses(snapshot: Mapping) -> dict[str, str]:
        codes = {}
        for commitment in snapshot.get("commitments", []):
            codes[commitment["code"]] = commitment.get("status", "")
            for indicator in commitment.get("indicators", []):
                codes[indicator["code"]] = indicator.get("status", "")
        return codes

    old, new = statuses(before), statuses(after)
    changes = [["computed_at", before.get("computed_at"), after.get("computed_at")]]
    changes += [[code, old.get(code), new.get(code)] for code in {**old, **new}]
    return changes
