"""The computation: every status row of a year, as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from commitments.engine.judgement import BEHIND, combine, judge
from commitments.engine.kinds import KINDS, Context
from commitments.engine.periods import YEAR, period_bounds, quarters_of
from commitments.engine.tree import ANY, Figures, Tree
from commitments.engine.types import (
    LEVEL_DEPARTMENT,
    NO_DATA,
    NOT_APPLICABLE,
    Dataset,
    IndicatorSpec,
    StatusRow,
    UnitNode,
)
from commitments.engine.year import judged_by_quarter, year_rows


def compute_statuses(
    indicators: Iterable[IndicatorSpec], data: Dataset, *, year: int, as_of: dt.date
) -> list[StatusRow]:
    """Every status row of a year, as of a date.

    Rows: for each indicator in force (it has a target for the year), each reporting
    unit (the departments of its sheet, and for unit-level indicators every unit
    below them), each period the
    indicator is judged on (the quarters and/or the year to date), and for per-category
    indicators each category with data besides the whole.
    """
    # Everything is judged "so far" (DOMAIN.md): what is dated after ``as_of`` has not
    # happened yet. Figures of a quarter that has not begun stay out of the year to
    # date (a `last` element would take them as its latest quarter); a record dated
    # later does not count; a task or milestone done later is not done yet. Baseline
    # years are not touched.
    begun = {q for q in (1, 2, 3, 4) if period_bounds(year, q)[0] <= as_of}
    figures = [f for f in data.figures if f.year != year or f.quarter in begun]
    data = replace(
        data,
        evidence=[r for r in data.evidence if r.date <= as_of],
        plan_tasks=[
            replace(t, done_on=None) if t.done_on and t.done_on > as_of else t
            for t in data.plan_tasks
        ],
        milestones=[
            replace(m, done_on=None) if m.done_on and m.done_on > as_of else m
            for m in data.milestones
        ],
    )
    ctx = Context(
        year=year,
        as_of=as_of,
        tree=Tree(data.units),
        figures=Figures(figures, data.aggregations),
        data=data,
    )
    rows: list[StatusRow] = []
    for indicator in indicators:
        if indicator.target.year != year:
            continue
        periods = ([1, 2, 3, 4] if indicator.quarterly else []) + (
            [YEAR] if indicator.yearly else []
        )
        units = ctx.tree.roots if indicator.level == LEVEL_DEPARTMENT else ctx.tree.ordered()
        if data.rows_for is not None:
            units = [u for u in units if u in data.rows_for]
        if indicator.departments is not None:
            # A sheet's indicator speaks of its own departments' units only.
            units = [u for u in units if ctx.tree.root_of[u] in indicator.departments]
        by_quarter = judged_by_quarter(indicator)
        for unit_id in units:
            unit_rows = [
                r for quarter in periods for r in _guarded(indicator, unit_id, quarter, ctx)
            ]
            rows.extend(unit_rows)
            if by_quarter:
                rows.extend(year_rows(indicator, unit_rows, as_of=as_of))
    return rows


def _guarded(indicator: IndicatorSpec, unit_id: int, quarter: int, ctx: Context) -> list[StatusRow]:
    """The rows of one indicator, unit and period; one that cannot be computed (data no
    rule foresaw) is a row without a value that says why, and every other row of the
    year is still computed."""
    try:
        return _rows_for(indicator, unit_id, quarter, ctx)
    except (ArithmeticError, ValueError, KeyError, TypeError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        return [_row(indicator, unit_id, ctx.year, quarter)("", None, NO_DATA, error=error)]


def _row(indicator: IndicatorSpec, unit_id: int, year: int, quarter: int):
    """A builder of the rows of one indicator, unit and period."""

    def row(category: str, value, status: str, target=None, comparator=None, **detail):
        return StatusRow(
            indicator=indicator.code,
            unit_id=unit_id,
            category=category,
            year=year,
            quarter=quarter,
            value=value,
            target=target,
            comparator=comparator,
            status=status,
            detail=detail,
        )

    return row


def _rows_for(
    indicator: IndicatorSpec, unit_id: int, quarter: int, ctx: Context
) -> list[StatusRow]:
    unit = ctx.tree.units[unit_id]
    members = ctx.tree.members(unit_id, indicator.scope)

    row = _row(indicator, unit_id, ctx.year, quarter)

    # A unit with nothing in the indicator's scope in its subtree is out of scope.
    if not members:
        return [row("", None, NOT_APPLICABLE)]

    begun, is_open = _period(indicator, quarter, ctx)
    if not begun:
        # The period has not begun: nothing can be said yet.
        threshold, comparator = _target_for(indicator, unit, None, ctx)
        signed = _category_targets(indicator, unit, ctx)
        return [row("", None, NO_DATA, threshold, comparator, **signed)]

    def judged(
        category: str | None, value: Fraction | None, detail: dict, status: str | None = None
    ) -> StatusRow:
        threshold, comparator = _target_for(indicator, unit, category, ctx)
        if status is None:
            status = judge(value, threshold, comparator, is_open=is_open, tracked=indicator.tracked)
        return row(category or "", value, status, threshold, comparator, **detail)

    compute = KINDS[indicator.kind]
    if indicator.per_category:
        categories = _categories(indicator, members, quarter, ctx)
        parts = [judged(cat, *compute(indicator, members, quarter, ctx, cat)) for cat in categories]
        whole_value, whole_detail = compute(indicator, members, quarter, ctx, ANY)
        detail = {**whole_detail, **_category_targets(indicator, unit, ctx)}
        status = None
        if parts and not indicator.tracked:
            # "In each field": the whole is met only when every category with data is.
            # The categories that hold the whole back are named for the reader.
            status = combine(p.status for p in parts)
            detail["behind"] = [p.category for p in parts if p.status in BEHIND]
        return [judged(None, whole_value, detail, status), *parts]
    value, detail = compute(indicator, members, quarter, ctx, ANY)
    return [judged(None, value, detail)]


def _period(indicator: IndicatorSpec, quarter: int, ctx: Context) -> tuple[bool, bool]:
    """Whether the period has begun, and whether it is still open (up to the
    target's deadline, when it has one), as of the computation's date."""
    key = ("period", id(indicator), quarter)
    if key not in ctx.memo:
        start, end = period_bounds(ctx.year, quarter)
        deadline = indicator.target.deadline
        closes = min(end, deadline) if deadline else end
        ctx.memo[key] = (ctx.as_of >= start, ctx.as_of <= closes)
    return ctx.memo[key]


def _target_for(
    indicator: IndicatorSpec, unit: UnitNode, category: str | None, ctx: Context | None = None
) -> tuple[Decimal | None, str | None]:
    if indicator.tracked:
        return None, None
    if ctx is None:
        return indicator.target.resolve(unit, category)
    # An override selects on the unit's kind and sector and the category alone: the
    # same answer for every unit alike, worked out once.
    key = ("target", id(indicator), unit.kind, unit.sector, category)
    if key not in ctx.memo:
        ctx.memo[key] = indicator.target.resolve(unit, category)
    return ctx.memo[key]


def _category_targets(indicator: IndicatorSpec, unit: UnitNode, ctx: Context) -> dict[str, list]:
    """For the whole of a per-category indicator: the categories whose own target
    differs from the whole's, as ``category_targets`` ([category, threshold,
    comparator] each), so that its target reads as signed: "each field >= 98% (land,
    investment >= 96%)". Resolved for this unit, as its categories are judged (the same
    for every unit of its kind and sector); empty for any other indicator."""
    if not indicator.per_category or indicator.tracked:
        return {}
    key = ("category targets", id(indicator), unit.kind, unit.sector)
    if key not in ctx.memo:
        ctx.memo[key] = _category_targets_of(indicator, unit)
    return ctx.memo[key]


def _category_targets_of(indicator: IndicatorSpec, unit: UnitNode) -> dict[str, list]:
    whole = _target_for(indicator, unit, None)
    differing: dict[str, tuple] = {}
    for override in indicator.target.overrides:
        category = override.category
        if category and category not in differing:
            differing[category] = indicator.target.resolve(unit, category)
    return {
        "category_targets": [
            [category, own_threshold, own_comparator]
            for category, (own_threshold, own_comparator) in differing.items()
            if (own_threshold, own_comparator) != whole
        ]
    }


def _categories(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: Context
) -> list[str]:
    element = indicator.denominator or indicator.element
    return ctx.figures.categories(element, ctx.year, quarters_of(quarter), members)
