"""The indicator kinds: how each computes its value, and the numbers behind it, over the
units of a subtree for one period (ratio, growth in points or in percent, count,
coverage, milestone)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from commitments.engine.periods import YEAR, period_bounds, quarters_of
from commitments.engine.tree import ANY, Figures, Tree
from commitments.engine.types import (
    COUNT,
    COVERAGE,
    ELEMENT_AT_LEAST,
    FIGURES,
    GROWTH_POINTS,
    GROWTH_RELATIVE,
    HUNDRED,
    MILESTONE,
    PLAN_TASKS,
    RATIO,
    SUBJECT_OF_EVIDENCE,
    Dataset,
    EvidenceRow,
    IndicatorSpec,
)


@dataclass
class Context:
    """What a kind reads: the year, the as-of date, the tree, the figures and the data."""

    year: int
    as_of: dt.date
    tree: Tree
    figures: Figures
    data: Dataset
    # What one computation works out once for many rows (targets resolved by unit
    # kind and sector), keyed by the indicator's spec itself (``id``): two sheets may
    # number their indicators alike, with different targets.
    memo: dict = field(default_factory=dict)


# Each kind returns (value, detail); detail keeps the numbers behind the value.
Computed = tuple[Fraction | None, dict]


def _ratio(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context, category=ANY
) -> Computed:
    """100 · Σ numerator / Σ denominator over the units: never an average of percentages."""
    if indicator.source == PLAN_TASKS:
        return _plan_task_ratio(indicator, members, ctx)
    num, den = _sums(indicator, members, ctx.year, quarters_of(quarter), ctx, category)
    if den is None or den == 0:
        return None, {"numerator": num, "denominator": den}
    return Fraction(100 * (num or 0), den), {"numerator": num or 0, "denominator": den}


def _sums(
    indicator: IndicatorSpec, members: list[int], year: int, quarters: range, ctx, category=ANY
) -> tuple[int | None, int | None]:
    num = ctx.figures.total(indicator.numerator, year, quarters, members, category)
    den = ctx.figures.total(indicator.denominator, year, quarters, members, category)
    return num, den


def _plan_task_ratio(indicator: IndicatorSpec, members: list[int], ctx: Context) -> Computed:
    """Share of the year's plan tasks done on or before the target's deadline."""
    in_units = set(members)
    tasks = [t for t in ctx.data.plan_tasks if t.year == ctx.year and t.unit_id in in_units]
    if not tasks:
        return None, {"numerator": None, "denominator": None}
    deadline = indicator.target.deadline or dt.date(ctx.year, 12, 31)
    done = sum(1 for t in tasks if t.done_on is not None and t.done_on <= deadline)
    return HUNDRED * Fraction(done, len(tasks)), {"numerator": done, "denominator": len(tasks)}


def _growth_points(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context, category=ANY
) -> Computed:
    """Ratio of the year (to date) minus the ratio of the baseline year, in points."""
    current, detail = _ratio(indicator, members, quarter, ctx, category)
    baseline, source = _baseline(
        indicator,
        lambda year: _ratio_of_year(indicator, members, year, ctx, category),
    )
    detail = {**detail, "baseline": baseline, "baseline_source": source}
    if current is None or baseline is None:
        return None, detail
    return current - baseline, detail


def _ratio_of_year(
    indicator: IndicatorSpec, members: list[int], year: int, ctx: Context, category=ANY
) -> Fraction | None:
    num, den = _sums(indicator, members, year, quarters_of(YEAR), ctx, category)
    if not den:
        return None
    return HUNDRED * Fraction(num or 0, den)


def _growth_relative(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context, category=ANY
) -> Computed:
    """100 · (value of the year / value of the baseline year - 1)."""
    current = ctx.figures.total(
        indicator.element, ctx.year, quarters_of(quarter), members, category
    )

    def stored(year: int) -> Fraction | None:
        total = ctx.figures.total(indicator.element, year, quarters_of(YEAR), members, category)
        return None if total is None else Fraction(total)

    baseline, source = _baseline(indicator, stored)
    detail = {"current": current, "baseline": baseline, "baseline_source": source}
    if current is None or not baseline:
        return None, detail
    return HUNDRED * (Fraction(current) / baseline - 1), detail


def _baseline(indicator: IndicatorSpec, from_year) -> tuple[Fraction | None, str | None]:
    """The baseline year's value from its stored figures, else the value on the target."""
    target = indicator.target
    if target.baseline_year is not None:
        value = from_year(target.baseline_year)
        if value is not None:
            return value, "figures"
    if target.baseline_value is not None:
        return Fraction(target.baseline_value), "target"
    return None, None


def _count(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context, category=ANY
) -> Computed:
    """Records in the period (or distinct units they name), or the sum of a figure.

    A closed period without records counts 0, not "no data": nothing was done.
    """
    if indicator.source == FIGURES:
        total = ctx.figures.total(
            indicator.element, ctx.year, quarters_of(quarter), members, category
        )
        return (None if total is None else Fraction(total)), {}
    records = _evidence_in(indicator.evidence_kind, members, quarter, ctx)
    if indicator.distinct_subjects:
        subjects = {r.subject_unit_id for r in records if r.subject_unit_id is not None}
        return Fraction(len(subjects)), {"records": len(records), "units": len(subjects)}
    return Fraction(len(records)), {"records": len(records)}


def _evidence_in(kind: str, members: list[int], quarter: int, ctx: Context) -> list[EvidenceRow]:
    start, end = period_bounds(ctx.year, quarter)
    in_units = set(members)
    return [
        r
        for r in ctx.data.evidence
        if r.kind == kind and r.unit_id in in_units and start <= r.date <= end
    ]


def _coverage(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context, category=ANY
) -> Computed:
    """100 · units that satisfy the per-unit condition / units in scope."""
    quarters = quarters_of(quarter)
    members = ctx.tree.counted(members)
    if indicator.coverage_rule == ELEMENT_AT_LEAST:
        values = ctx.figures.per_unit(indicator.element, ctx.year, quarters, category)
        if not any(u in values for u in members):
            # Nobody has reported the figure yet: that is no data, not 0%.
            return None, {"covered": None, "units": len(members)}
        covered = [u for u in members if values.get(u, 0) >= indicator.condition_min]
    else:
        if indicator.coverage_rule == SUBJECT_OF_EVIDENCE:
            # Evidence recorded anywhere in the department may name a unit in scope.
            root = ctx.tree.root_of[members[0]]
            records = _evidence_in(indicator.evidence_kind, ctx.tree.subtree[root], quarter, ctx)
            hits = {r.subject_unit_id for r in records}
        else:
            records = _evidence_in(indicator.evidence_kind, members, quarter, ctx)
            hits = {r.unit_id for r in records}
        covered = [u for u in members if u in hits]
    covered_set = set(covered)
    missing = [ctx.tree.units[u].code for u in members if u not in covered_set]
    return HUNDRED * Fraction(len(covered), len(members)), {
        "covered": len(covered),
        "units": len(members),
        "missing": missing,
        "covered_units": [ctx.tree.units[u].code for u in covered],
    }


def _milestone(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context, category=ANY
) -> Computed:
    """100 when done on or before the deadline with evidence, else 0."""
    in_units = set(members)
    records = [
        m
        for m in ctx.data.milestones
        if m.indicator == indicator.code and m.year == ctx.year and m.unit_id in in_units
    ]
    deadline = indicator.target.deadline or dt.date(ctx.year, 12, 31)
    done = bool(records) and all(
        m.done_on is not None and m.done_on <= deadline and m.has_evidence for m in records
    )
    detail = {
        "done_on": max((m.done_on for m in records if m.done_on), default=None),
        "has_evidence": bool(records) and all(m.has_evidence for m in records),
        "deadline": deadline,
    }
    return (HUNDRED if done else Fraction(0)), detail


KINDS = {
    RATIO: _ratio,
    GROWTH_POINTS: _growth_points,
    GROWTH_RELATIVE: _growth_relative,
    COUNT: _count,
    COVERAGE: _coverage,
    MILESTONE: _milestone,
}
