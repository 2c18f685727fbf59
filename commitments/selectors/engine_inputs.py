"""What the engine reads for a year: the indicators of the year's sheets with their
targets, each for the departments its sheet applies to, and every unit, figure,
evidence record, plan task and milestone they read."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Subquery, Value

from commitments import engine
from commitments.models import (
    DataElement,
    Evidence,
    Figure,
    Milestone,
    OfficialFigure,
    PlanTask,
    QuarterlyReport,
    Sheet,
    Target,
    TargetOverride,
    Unit,
)


@dataclass(frozen=True)
class EngineIds:
    """Database ids of what the engine names by code. Sheets of different departments
    may number their indicators alike, so an indicator is found by its code and the
    department whose sheet holds it (``indicator_id``); ``lines`` is the indicator of
    each spec, in their order, and ``versions`` the definition version each uses."""

    indicators: dict[tuple[str, int], int]
    departments: dict[int, int]  # unit -> its department (the top of its tree)
    versions: dict[int, int]  # indicator -> its definition's version
    lines: tuple[int, ...] = ()

    def indicator_id(self, code: str, unit_id: int) -> int:
        """The indicator numbered ``code`` in the sheet of the unit's department."""
        return self.indicators[(code, self.departments[unit_id])]


@dataclass(frozen=True)
class FigureSets:
    """A year's figures split by DOMAIN.md's "Official figures": the ``official`` ones
    (reports approved, or written by a trusted channel outside any report, and the last
    approved values of a reopened report), and every figure as typed (``provisional``),
    or None when the two are the same."""

    official: list[engine.FigureRow]
    provisional: list[engine.FigureRow] | None


def engine_inputs(
    *, year: int
) -> tuple[list[engine.IndicatorSpec], engine.Dataset, EngineIds, engine.Dataset | None]:
    """The indicators in force in ``year`` (those of its sheets with a target), each for
    the departments its sheet applies to, and every figure, record and unit they read:
    the dataset of official figures, and the provisional one (every figure as typed),
    or None when no figure of these years is waiting for approval.

    Eight queries, whatever the number of departments, sheets, units, indicators or
    figures.
    """
    targets = targets_in_force(year=year)
    units, signed = _unit_nodes(year)
    departments = engine.Tree(units).root_of
    applies = sheet_departments(
        [t.indicator.sheet for t in targets], departments=departments.values(), signed=signed
    )
    indicators = [indicator_spec(t, applies[t.indicator.sheet_id]) for t in targets]
    years = {year} | baseline_years(indicators)

    figures = official_figure_rows(years)
    evidence, plan_tasks, milestones = records(year)
    data = engine.Dataset(
        units=units,
        aggregations=element_aggregations(),
        figures=figures.official,
        evidence=evidence,
        plan_tasks=plan_tasks,
        milestones=milestones,
    )
    provisional = (
        None if figures.provisional is None else replace(data, figures=figures.provisional)
    )
    ids = EngineIds(
        indicators={
            (spec.code, department): target.indicator_id
            for spec, target in zip(indicators, targets, strict=True)
            for department in spec.departments or ()
        },
        departments=departments,
        versions={t.indicator_id: t.indicator.version_id for t in targets},
        lines=tuple(t.indicator_id for t in targets),
    )
    return indicators, data, ids, provisional


def targets_in_force(*, year: int, sheet: Sheet | None = None) -> list[Target]:
    """The targets of ``year`` (of every sheet, or of ``sheet`` alone) in the order of
    the sheets, with their indicators and sheets, the elements they read and their
    overrides (two queries)."""
    targets = Target.objects.filter(year=year)
    if sheet is not None:
        targets = targets.filter(indicator__sheet=sheet)
    return list(
        targets.select_related(
            "indicator__sheet",
            "indicator__numerator",
            "indicator__denominator",
            "indicator__element",
        )
        .prefetch_related(
            Prefetch("overrides", queryset=TargetOverride.objects.select_related("category"))
        )
        .order_by("indicator__commitment__position", "indicator__position", "indicator__pk")
    )


def baseline_years(indicators: Iterable[engine.IndicatorSpec]) -> set[int]:
    """The years the indicators' growth is measured against."""
    return {i.target.baseline_year for i in indicators if i.target.baseline_year is not None}


def element_aggregations() -> dict[str, str]:
    """Each data element's code and how it adds up over time (one query)."""
    return dict(DataElement.objects.values_list("code", "aggregation"))


def sheet_departments(
    sheets: Iterable[Sheet], *, departments: Iterable[int], signed: set[int]
) -> dict[int, frozenset[int]]:
    """The departments each sheet applies to, by sheet id: its own department, or for
    a common sheet every one of ``departments`` that has not ``signed`` a sheet of its
    own that year."""
    common = frozenset(set(departments) - signed)
    return {
        sheet.pk: common if sheet.department_id is None else frozenset({sheet.department_id})
        for sheet in sheets
    }


# What the engine knows of a unit, in the order of ``engine.UnitNode``.
UNIT_NODE_FIELDS = (
    "pk",
    "code",
    "parent_id",
    "kind",
    "sector",
    "public_service",
    "receives_dossiers",
)


def _unit_nodes(year: int) -> tuple[list[engine.UnitNode], set[int]]:
    """Every unit, as the engine places it in the tree and in an indicator's scope, and
    the units that signed a sheet of their own for ``year``; one query."""
    rows = Unit.objects.annotate(
        signed=Exists(Sheet.objects.filter(department=OuterRef("pk"), year=year))
    ).values_list(*UNIT_NODE_FIELDS, "signed")
    nodes, signed = [], set()
    for *columns, has_sheet in rows:
        nodes.append(engine.UnitNode(*columns))
        if has_sheet:
            signed.add(columns[0])
    return nodes, signed


def unit_nodes() -> list[engine.UnitNode]:
    """Every unit, as the engine places it in the tree and in an indicator's scope."""
    return [engine.UnitNode(*columns) for columns in Unit.objects.values_list(*UNIT_NODE_FIELDS)]


def signed_departments(year: int) -> set[int]:
    """The departments that signed a sheet of their own for ``year`` (one query)."""
    return set(
        Sheet.objects.filter(year=year, department__isnull=False).values_list(
            "department_id", flat=True
        )
    )


def departments_of(units: Sequence[engine.UnitNode], ids: Iterable[int]) -> dict[int, int]:
    """The department (the top of its tree) of each unit of ``ids``, by a walk up
    from each; ``units`` is the whole tree."""
    parent = {u.id: u.parent_id for u in units}
    found: dict[int, int] = {}
    for unit_id in ids:
        path, node = [], unit_id
        while node not in found and parent.get(node) is not None and parent[node] in parent:
            path.append(node)
            node = parent[node]
        top = found.get(node, node)
        found.update((step, top) for step in (*path, node))
    return {unit_id: found[unit_id] for unit_id in ids}


def unit_node(unit: Unit) -> engine.UnitNode:
    """A unit already read, as the engine reads it."""
    return engine.UnitNode(*(getattr(unit, name) for name in UNIT_NODE_FIELDS))


# Figures of elements from any other source are official on arrival.
REPORTED = DataElement.Source.REPORT
FIGURE_COLUMNS = ("year", "quarter", "unit_id", "element__code", "category__code", "value")


def official_figure_rows(years: set[int], *, elements: Iterable[str] | None = None) -> FigureSets:
    """The figures of ``years`` (the year and the baseline years it is compared to),
    official and as typed, in one query; only those of ``elements`` (codes) when given.

    A figure is official when its report is approved, when it has no report at all
    (an admin's import, the admin, a trusted system: never a unit's draft), or when
    its element is not typed by the unit (counted from citizens' survey answers). A
    report that is not approved contributes the values it had when last approved, if
    any.
    """
    approved = QuarterlyReport.State.APPROVED
    official, typed, waiting = [], [], False
    rows = _with_report_state(Figure, years, elements, kept=False).union(
        _with_report_state(OfficialFigure, years, elements, kept=True), all=True
    )
    for *columns, source, state, kept in rows:
        row = engine.FigureRow(*columns)
        is_official = source != REPORTED or (state or approved) == approved
        if kept:
            # A reopened report's approved values: official until it is approved again.
            if not is_official:
                official.append(row)
                waiting = True
            continue
        typed.append(row)
        if is_official:
            official.append(row)
        else:
            waiting = True
    return FigureSets(official=official, provisional=typed if waiting else None)


def _with_report_state(model, years: set[int], elements: Iterable[str] | None, *, kept: bool):
    """Figure-shaped rows of ``years`` (and ``elements``) with the state of the report
    they belong to."""
    report = QuarterlyReport.objects.filter(
        unit=OuterRef("unit"), year=OuterRef("year"), quarter=OuterRef("quarter")
    ).order_by()
    figures = model.objects.filter(year__in=years)
    if elements is not None:
        figures = figures.filter(element__code__in=list(elements))
    return (
        figures.annotate(
            report_state=Subquery(report.values("state")[:1]),
            kept=Value(kept, output_field=BooleanField()),
        )
        .order_by()
        .values_list(*FIGURE_COLUMNS, "element__source", "report_state", "kept")
    )


def records(
    year: int, units: Collection[int] | None = None
) -> tuple[list[engine.EvidenceRow], list[engine.PlanTaskRow], list[engine.MilestoneRow]]:
    """The evidence, plan tasks and milestones of a year (three queries); only those of
    ``units`` (ids) when given."""
    mine = {} if units is None else {"unit_id__in": list(units)}
    evidence = [
        engine.EvidenceRow(unit_id, kind, date, subject)
        for unit_id, kind, date, subject in Evidence.objects.filter(
            date__year=year, **mine
        ).values_list("unit_id", "kind", "date", "subject_unit_id")
    ]
    plan_tasks = [
        engine.PlanTaskRow(unit_id, y, done_on)
        for unit_id, y, done_on in PlanTask.objects.filter(year=year, **mine).values_list(
            "unit_id", "year", "done_on"
        )
    ]
    milestones = [
        engine.MilestoneRow(code, unit_id, y, done_on, bool(reference))
        for code, unit_id, y, done_on, reference in Milestone.objects.filter(
            year=year, **mine
        ).values_list("indicator__code", "unit_id", "year", "done_on", "evidence_reference")
    ]
    return evidence, plan_tasks, milestones


def indicator_spec(
    target: Target, departments: frozenset[int] | None = None
) -> engine.IndicatorSpec:
    """A target's indicator as the engine reads it, with the target, for the
    ``departments`` its sheet applies to (None: every unit it is given, as when the
    units are one department's already)."""
    indicator = target.indicator
    return engine.IndicatorSpec(
        code=indicator.code,
        departments=departments,
        kind=indicator.kind,
        source=indicator.source,
        tracked=indicator.tracked,
        per_category=indicator.per_category,
        quarterly=indicator.quarterly,
        yearly=indicator.yearly,
        level=indicator.level,
        scope=engine.UnitFilter(
            kinds=frozenset(indicator.scope_kinds or ()),
            sectors=frozenset(indicator.scope_sectors or ()),
            public_service=indicator.scope_public_service,
            receives_dossiers=indicator.scope_receives_dossiers,
        ),
        numerator=indicator.numerator.code if indicator.numerator else "",
        denominator=indicator.denominator.code if indicator.denominator else "",
        element=indicator.element.code if indicator.element else "",
        evidence_kind=indicator.evidence_kind,
        distinct_subjects=indicator.distinct_subjects,
        coverage_rule=indicator.coverage_rule,
        condition_min=indicator.condition_min,
        target=target_spec(target, target.overrides.all()),
    )


def target_spec(target: Target, overrides: Iterable[TargetOverride]) -> engine.TargetSpec:
    """A target and its scoped overrides as the engine reads them: the stored ones, or
    those of an edit form before they are saved (for its preview). The engine decides
    which threshold applies to a unit and category (``TargetSpec.resolve``)."""
    return engine.TargetSpec(
        year=target.year,
        threshold=target.threshold,
        comparator=target.comparator or None,
        deadline=target.deadline,
        baseline_year=target.baseline_year,
        baseline_value=target.baseline_value,
        overrides=tuple(override_spec(o) for o in overrides),
    )


def override_spec(override: TargetOverride) -> engine.Override:
    """A scoped threshold (ngưỡng riêng) as the engine reads it: the category by code."""
    return engine.Override(
        threshold=override.threshold,
        comparator=override.comparator,
        category=override.category.code if override.category else None,
        unit_kind=override.unit_kind,
        unit_sector=override.unit_sector,
    )


def years_with_targets() -> list[int]:
    return sorted(set(Target.objects.values_list("year", flat=True)))
