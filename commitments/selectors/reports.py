"""A unit's quarterly report as its page reads it: the report, the figures it asks
for, its evidence, plan tasks and milestones, its history, and the reports a member of
staff writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from commitments import access, engine
from commitments.models import (
    AuditEntry,
    Category,
    DataElement,
    Evidence,
    Figure,
    Milestone,
    PlanTask,
    QuarterlyReport,
    Target,
    Unit,
    ValidationRule,
)
from commitments.selectors import completeness, engine_inputs, sheets
from dossiers import selectors as dossier_selectors


def report_for(*, unit: Unit, year: int, quarter: int) -> QuarterlyReport:
    """The unit's report of the quarter; a new draft, not yet stored, when nobody has
    written to it."""
    report = QuarterlyReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    return report or QuarterlyReport(unit=unit, year=year, quarter=quarter)


def report_field(element_code: str, category_code: str | None) -> str:
    """The name of a figure's field on the report form (and its key in errors)."""
    return f"{element_code}__{category_code}" if category_code else element_code


@dataclass(frozen=True)
class ReportLine:
    """One figure on the report form: its element and category, the value stored for
    the quarter, the value the form starts from (for a ``last`` element with no value
    yet, the previous quarter's) and the fields of the form its value must not exceed
    (the validation rules whose bound is on the form, for the same category)."""

    element: DataElement
    category: Category | None
    stored: int | None
    initial: int | None
    not_above: tuple[str, ...] = ()
    # The number of dossier records the figure is derived from; None when typed.
    records: int | None = None

    @property
    def field(self) -> str:
        return report_field(*self.key)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.element.code, self.category.code if self.category else None)

    @property
    def carried(self) -> bool:
        return self.stored is None and self.initial is not None

    @property
    def read_only(self) -> bool:
        """Whether the figure comes from elsewhere than the unit's report (the citizens'
        survey, the unit's dossier records): shown with its source, never typed
        (DOMAIN.md, "Official figures")."""
        return self.element.source != DataElement.Source.REPORT or self.records is not None


@dataclass(frozen=True)
class ReportCatalogue:
    """What a report's page reads of the catalogue once for its parts (the form, the
    history, the results): the data elements and categories it names figures with, and
    the targets in force in the report's year with their indicators: those of the sheet
    that applies to the unit's department (its own, else the common one)."""

    elements: list[DataElement]
    categories: list[Category]
    targets: list[Target]

    @property
    def category_names(self) -> dict[str, str]:
        """Category code -> name in the active language."""
        return {c.code: c.name for c in self.categories}


def report_catalogue(*, year: int, unit: Unit) -> ReportCatalogue:
    """Every data element and category in their order, and the targets of ``year`` of
    the sheet that applies to the department of ``unit`` (none when no sheet does; six
    queries)."""
    sheet = sheets.sheet_of_unit(unit=unit, year=year)
    return ReportCatalogue(
        elements=list(DataElement.objects.order_by("position", "code")),
        categories=list(Category.objects.order_by("position", "code")),
        targets=[] if sheet is None else engine_inputs.targets_in_force(year=year, sheet=sheet),
    )


def report_lines(
    *, unit: Unit, year: int, quarter: int, catalogue: ReportCatalogue | None = None
) -> list[ReportLine]:
    """The figures a unit reports for a quarter, in the order of the elements.

    Only the elements that apply to the unit: those read by an indicator in force in the
    year in its department's sheet whose scope admits the unit (a division that receives no dossiers reports no
    dossiers), with the bounds of their validation rules, and any element it already has
    a figure for in the quarter. Elements split by field list the fields the unit has
    figures for in any quarter of this year or the previous one (all fields when it has
    none yet); elements split by channel list every channel; a figure derived from the
    unit's dossier records says how many. Nine queries (three with the ``catalogue`` of
    the unit and year read already).
    """
    catalogue = catalogue or report_catalogue(year=year, unit=unit)
    elements, categories = catalogue.elements, catalogue.categories
    bounds = _validation_bounds(elements)
    current, before, derived = _figures_of_quarter_and_previous(unit, year, quarter)
    by_kind = _categories_offered(unit, year, categories)
    applies = _elements_for_unit(unit, catalogue.targets, bounds)
    stored_elements = {element_id for element_id, _category in current}
    lines = []
    for element in elements:
        if applies is not None and element.pk not in applies and element.pk not in stored_elements:
            continue
        for category in by_kind.get(element.category_kind, []) if element.category_kind else [None]:
            key = (element.pk, category.pk if category else None)
            stored = current.get(key)
            initial = stored
            if stored is None and element.aggregation == engine.LAST:
                initial = before.get(key)
            # A bound split the same way as the element has a line for this category.
            not_above = tuple(
                report_field(bound.code, category.code if category else None)
                for bound in bounds.get(element.pk, ())
                if bound.category_kind == element.category_kind
            )
            records = derived.get(key)
            lines.append(ReportLine(element, category, stored, initial, not_above, records))
    return lines


def _validation_bounds(elements: list[DataElement]) -> dict[int, list[DataElement]]:
    """The elements each element must not exceed, by element id (one query)."""
    by_pk = {element.pk: element for element in elements}
    bounds: dict[int, list[DataElement]] = {}
    for element_id, bound_id in ValidationRule.objects.order_by("pk").values_list(
        "element_id", "bound_id"
    ):
        bounds.setdefault(element_id, []).append(by_pk[bound_id])
    return bounds


_Values = dict[tuple[int, int | None], int]


def _figures_of_quarter_and_previous(
    unit: Unit, year: int, quarter: int
) -> tuple[_Values, _Values, _Values]:
    """The unit's figures of the quarter and of the quarter before, each by (element
    id, category id), and the number of dossier records behind those of the quarter
    derived from them; one query."""
    previous = engine.previous_quarter(year, quarter)
    figures = Figure.objects.filter(unit=unit).filter(
        Q(year=year, quarter=quarter) | Q(year=previous[0], quarter=previous[1])
    )
    current: _Values = {}
    before: _Values = {}
    derived: _Values = {}
    for y, q, element_id, category_id, value, records in figures.annotate(
        records=dossier_selectors.figure_records()
    ).values_list("year", "quarter", "element_id", "category_id", "value", "records"):
        target = current if (y, q) == (year, quarter) else before
        target[(element_id, category_id)] = value
        if records is not None and target is current:
            derived[(element_id, category_id)] = records
    return current, before, derived


def _categories_offered(
    unit: Unit, year: int, categories: list[Category]
) -> dict[str, list[Category]]:
    """The categories the form lists, by kind: the fields the unit has figures for in
    this year or the previous one (every field when it has none), every channel; one
    query."""
    used_fields = set(
        Figure.objects.filter(
            unit=unit,
            year__in=(year - 1, year),
            category__kind=Category.Kind.FIELD,
        ).values_list("category_id", flat=True)
    )
    by_kind: dict[str, list[Category]] = {}
    for category in categories:
        if category.kind == Category.Kind.FIELD and used_fields and category.pk not in used_fields:
            continue
        by_kind.setdefault(category.kind, []).append(category)
    return by_kind


def _elements_for_unit(
    unit: Unit, targets: list[Target], bounds: dict[int, list[DataElement]]
) -> set[int] | None:
    """The ids of the elements a unit reports in a year whose ``targets`` are given
    (those of its department's sheet, see ``report_lines``); None when the year has no
    targets for it yet, and every element is offered."""
    if not targets:
        return None
    node = engine_inputs.unit_node(unit)
    applies: set[int] = set()
    for target in targets:
        indicator = target.indicator
        if engine_inputs.indicator_spec(target).scope.admits(node):
            applies.update(
                pk
                for pk in (indicator.numerator_id, indicator.denominator_id, indicator.element_id)
                if pk
            )
    for pk in list(applies):
        applies.update(bound.pk for bound in bounds.get(pk, ()))
    return applies


# --- the report's evidence, plan and history ---


def report_evidence(*, unit: Unit, year: int, quarter: int) -> list[Evidence]:
    """The evidence a unit recorded for a quarter, by date (one query)."""
    first, last = engine.period_bounds(year, quarter)
    return list(
        Evidence.objects.filter(unit=unit, date__range=(first, last))
        .select_related("subject_unit")
        .order_by("date", "pk")
    )


def report_plan(*, unit: Unit, year: int) -> tuple[list[PlanTask], list[Milestone]]:
    """The unit's plan tasks and milestones of the year (two queries)."""
    tasks = list(PlanTask.objects.filter(unit=unit, year=year).order_by("due_on", "code"))
    milestones = list(
        Milestone.objects.filter(unit=unit, year=year)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code")
    )
    return tasks, milestones


@dataclass(frozen=True)
class HistoryLine:
    """One recorded change as the report page shows it, in the active language."""

    entry: AuditEntry
    changes: list[tuple[str, str, str]]  # (what, old, new); "—" for nothing


HISTORY_MODELS = {
    AuditEntry.Subject.EVIDENCE: Evidence,
    AuditEntry.Subject.PLAN_TASK: PlanTask,
    AuditEntry.Subject.MILESTONE: Milestone,
    AuditEntry.Subject.REPORT: QuarterlyReport,
}


def report_history(
    *,
    unit: Unit,
    year: int,
    quarter: int,
    limit: int = 200,
    catalogue: ReportCatalogue | None = None,
) -> list[HistoryLine]:
    """What changed in a unit's report of a quarter, newest first: figures, evidence,
    plan tasks, milestones and the report's states, each with who and when (seven
    queries; one with the ``catalogue`` read already)."""
    entries = list(
        AuditEntry.objects.filter(unit=unit, year=year)
        .filter(Q(quarter=quarter) | Q(quarter__isnull=True))  # the year's tasks too
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )
    figure_names = _figure_names(catalogue or report_catalogue(year=year, unit=unit))
    states = dict(QuarterlyReport.State.choices)
    kinds = dict(Evidence.Kind.choices)

    def what(subject: str, key: str) -> str:
        if subject == AuditEntry.Subject.FIGURES:
            return figure_names.get(key, key)
        model = HISTORY_MODELS.get(subject)
        try:
            return str(model._meta.get_field(key).verbose_name) if model else key
        except FieldDoesNotExist:  # a field renamed since: show its stored name
            return key

    def shown(subject: str, key: str, value) -> str:
        if value is None:
            return "—"
        if subject == AuditEntry.Subject.REPORT and key == "state":
            return str(states.get(value, value))
        if subject == AuditEntry.Subject.EVIDENCE and key == "kind":
            return str(kinds.get(value, value))
        return str(value)

    return [
        HistoryLine(
            entry,
            [
                (
                    what(entry.subject, key),
                    shown(entry.subject, key, old),
                    shown(entry.subject, key, new),
                )
                for key, old, new in entry.changes
            ],
        )
        for entry in entries
    ]


def audit_figure_key(element: DataElement, category: Category | None) -> str:
    """A figure's key in the audit log: ``element`` or ``element/category``."""
    return f"{element.code}/{category.code}" if category else element.code


def _figure_names(catalogue: ReportCatalogue) -> dict[str, str]:
    """Audit-log figure keys (``audit_figure_key``) → names in the active language."""
    names = {}
    for element in catalogue.elements:
        names[audit_figure_key(element, None)] = element.name
        for category in catalogue.categories:
            if category.kind == element.category_kind:
                names[audit_figure_key(element, category)] = f"{element.name} · {category.name}"
    return names


# --- the reports a member of staff writes ---


@dataclass(frozen=True)
class ReportSlot:
    """A quarter of a unit on the staff's list: its report (None until written) and
    when it is due."""

    unit: Unit
    year: int
    quarter: int
    report: QuarterlyReport | None
    deadline: dt.date

    @property
    def state(self) -> str:
        return self.report.state if self.report else completeness.NOT_STARTED


def staff_reports(*, scope: access.Scope, today: dt.date, quarters: int = 4) -> list[ReportSlot]:
    """The reports of the units a user writes for (staff), for the current quarter and
    the ``quarters - 1`` before it, newest first (three queries)."""
    periods = []
    year, quarter = today.year, engine.quarter_of(today)
    for _ in range(quarters):
        periods.append((year, quarter))
        year, quarter = engine.previous_quarter(year, quarter)
    units = list(Unit.objects.filter(pk__in=scope.staff_ids).order_by("code"))
    if not units:
        return []
    stored = {
        (r.unit_id, r.year, r.quarter): r
        for r in QuarterlyReport.objects.filter(unit__in=units, year__in={y for y, _ in periods})
    }
    deadlines = completeness.report_deadlines(periods=periods)
    return [
        ReportSlot(
            unit,
            y,
            q,
            stored.get((unit.pk, y, q)),
            deadlines[(y, q)],
        )
        for unit in units
        for y, q in periods
    ]
