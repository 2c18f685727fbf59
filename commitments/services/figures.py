"""Figures: saving them against the validation rules (from an import or a report form),
and which years' statuses read them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commitments import selectors
from commitments.models import (
    AuditEntry,
    Category,
    DataElement,
    Figure,
    Target,
    Unit,
    ValidationRule,
)
from commitments.services import audit, recompute
from commitments.tabular import ImportFailed, Row


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


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


def whole(text: str) -> int | None:
    """A whole number written as text (an optional sign, digits), else None."""
    text = text.strip()
    if not re.fullmatch(r"[-+]?\d+", text):
        return None
    return int(text)


def line_number(error: str) -> tuple[int, str]:
    """Sorts the messages of rows ("line 12: …") by their line."""
    match = re.match(r"line (\d+):", error)
    return (int(match.group(1)) if match else 0, error)


# The audit's changes of one report: (figure key, old value, new value).
History = dict[tuple[Unit, int, int], list[tuple[str, int | None, int | None]]]


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
        new, changed, removed, history = _figure_changes(inputs, existing)
        Figure.objects.bulk_create(new, batch_size=1000)
        Figure.objects.bulk_update(changed, ["value", "updated_at"], batch_size=1000)
        Figure.objects.filter(pk__in=removed).delete()
        audit.audit_per_report(
            history,
            subject=AuditEntry.Subject.FIGURES,
            action=AuditEntry.Action.IMPORTED if source else AuditEntry.Action.UPDATED,
            user=user,
            label=source,
        )
        if history:
            recompute.recompute_request(years=years_affected(years))
    unchanged = len(inputs) - len(new) - len(changed) - len(removed)
    return ImportResult(len(new), len(changed), unchanged, len(removed))


def _figure_changes(
    inputs: list[FigureInput], existing: dict
) -> tuple[list[Figure], list[Figure], list[int], History]:
    """The figures to create, to update and (ids) to remove, and the changes of each
    report for the audit log; an input equal to the stored figure is left out."""
    new, changed, removed = [], [], []
    history: History = {}
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
            (selectors.reports.audit_figure_key(item.element, item.category), old, item.value)
        )
    return new, changed, removed, history


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
    return sorted(violations, key=lambda v: line_number(v.message))


def years_affected(years: Iterable[int]) -> set[int]:
    """The years whose statuses read figures of these years: themselves, and the years
    that take one of them as a baseline."""
    years = set(years)
    later = Target.objects.filter(baseline_year__in=years).values_list("year", flat=True)
    return years | set(later)
