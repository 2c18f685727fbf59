"""What the engine reads for a year: the indicators in force with their targets, and
every unit, figure, evidence record, plan task and milestone they read."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from django.db.models import BooleanField, OuterRef, Prefetch, Subquery, Value

from commitments import engine
from commitments.models import (
    DataElement,
    Evidence,
    Figure,
    Milestone,
    OfficialFigure,
    PlanTask,
    QuarterlyReport,
    Target,
    TargetOverride,
    Unit,
)


@dataclass(frozen=True)
class EngineIds:
    """Database ids of what the engine names by code."""

    indicators: dict[str, int]


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
    """The indicators in force in ``year`` and every figure, record and unit they read:
    the dataset of official figures, and the provisional one (every figure as typed),
    or None when no figure of these years is waiting for approval.

    Eight queries, whatever the number of units, indicators or figures.
    """
    targets = targets_in_force(year=year)
    indicators = [indicator_spec(t) for t in targets]
    years = {year} | baseline_years(indicators)

    units = unit_nodes()
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
    ids = EngineIds(indicators={t.indicator.code: t.indicator_id for t in targets})
    return indicators, data, ids, provisional


def targets_in_force(*, year: int) -> list[Target]:
    """The targets of ``year`` in the order of the sheet, with their indicators, the
    elements they read and their overrides (two queries)."""
    return list(
        Target.objects.filter(year=year)
        .select_related(
            "indicator", "indicator__numerator", "indicator__denominator", "indicator__element"
        )
        .prefetch_related(
            Prefetch("overrides", queryset=TargetOverride.objects.select_related("category"))
        )
        .order_by("indicator__commitment__position", "indicator__position")
    )


def baseline_years(indicators: Iterable[engine.IndicatorSpec]) -> set[int]:
    """The years the indicators' growth is measured against."""
    return {i.target.baseline_year for i in indicators if i.target.baseline_year is not None}


def element_aggregations() -> dict[str, str]:
    """Each data element's code and how it adds up over time (one query)."""
    return dict(DataElement.objects.values_list("code", "aggregation"))


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


def unit_nodes() -> list[engine.UnitNode]:
    """Every unit, as the engine places it in the tree and in an indicator's scope."""
    return [engine.UnitNode(*columns) for columns in Unit.objects.values_list(*UNIT_NODE_FIELDS)]


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


def indicator_spec(target: Target) -> engine.IndicatorSpec:
    """A target's indicator as the engine reads it, with the target."""
    indicator = target.indicator
    return engine.IndicatorSpec(
        code=indicator.code,
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
