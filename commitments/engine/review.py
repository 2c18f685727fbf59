"""What approving a quarterly report would change, and the figures of a report far from
the unit's own history (xem xét báo cáo trước khi duyệt).

A report's figures are provisional until a director approves it (DOMAIN.md, "Official
figures"). Before deciding, the director (and the staff, before submitting) reads the
statuses as they would be once it is approved: the official figures with this report's
figures counted among them (``counted_as_official``), computed by ``compute_statuses``
as always, on the units the reader sees (``subtree``), for the unit alone
(``own_results``) or for the top unit above it.

A figure much larger or smaller than the unit usually reports is flagged for both
(``outlier``), as DHIS2 flags outliers against a unit's history: more than three times,
or under a third of, the median of its previous four quarters.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from commitments.engine.periods import previous_quarter
from commitments.engine.types import (
    COUNT,
    FIGURES,
    GROWTH_POINTS,
    GROWTH_RELATIVE,
    LEVEL_DEPARTMENT,
    RATIO,
    Dataset,
    FigureRow,
    IndicatorSpec,
)

# A figure is far from its history beyond this factor of the median, either way.
OUTLIER_FACTOR = 3
# The quarters of history looked at, and how many of them must have a figure.
OUTLIER_QUARTERS = 4
OUTLIER_MIN_HISTORY = 2


def counted_as_official(
    official: Sequence[FigureRow],
    typed: Sequence[FigureRow],
    *,
    unit_id: int,
    year: int,
    quarter: int,
) -> list[FigureRow]:
    """The official figures as they would be once the report of ``unit_id`` for the
    quarter is approved: the report's figures as typed replace whatever stood for its
    unit and quarter (a reopened report's last approved values among them), and every
    other figure stays as it is."""

    def ours(row: FigureRow) -> bool:
        return row.unit_id == unit_id and row.year == year and row.quarter == quarter

    return [row for row in official if not ours(row)] + [row for row in typed if ours(row)]


def subtree(data: Dataset, unit_id: int) -> Dataset:
    """The dataset of one unit and the units below it, with the unit as the root of its
    own tree: the engine then reports on it as it reports on a department (its rows of
    indicators judged at the department's level are the unit's)."""
    children: dict[int | None, list[int]] = {}
    for unit in data.units:
        children.setdefault(unit.parent_id, []).append(unit.id)
    members, todo = set(), [unit_id]
    while todo:
        current = todo.pop()
        if current not in members:
            members.add(current)
            todo.extend(children.get(current, ()))
    units = [
        replace(u, parent_id=None) if u.id == unit_id else u for u in data.units if u.id in members
    ]
    return replace(
        data,
        units=units,
        figures=[f for f in data.figures if f.unit_id in members],
        evidence=[r for r in data.evidence if r.unit_id in members],
        plan_tasks=[t for t in data.plan_tasks if t.unit_id in members],
        milestones=[m for m in data.milestones if m.unit_id in members],
    )


def reads_figures(indicator: IndicatorSpec) -> bool:
    """Whether an indicator's value comes from the units' figures, so that approving a
    report can change it (evidence, plan tasks and milestones do not wait for one)."""
    return indicator.source == FIGURES


# The kinds whose value for one unit is a number of its own (a coverage indicator's
# value for one unit would only say whether it meets the condition).
OWN_KINDS = (RATIO, GROWTH_POINTS, GROWTH_RELATIVE, COUNT)


def at_top(indicator: IndicatorSpec) -> IndicatorSpec:
    """The indicator judged only at the root of the tree it is given (``subtree``)."""
    return replace(indicator, level=LEVEL_DEPARTMENT)


def own_results(indicator: IndicatorSpec) -> IndicatorSpec:
    """The indicator computed on one unit's own figures, each quarter: judged against
    the same target (its overrides for the unit's kind or sector included), growth
    measured against the unit's own baseline-year figures, never against a baseline
    value an admin entered for the whole department."""
    return replace(
        indicator,
        level=LEVEL_DEPARTMENT,
        quarterly=True,
        target=replace(indicator.target, baseline_value=None),
    )


def in_year(indicator: IndicatorSpec, year: int) -> IndicatorSpec:
    """The indicator with its target moved to another year (to compute the quarter
    before the first of a year with the same rule)."""
    return replace(indicator, target=replace(indicator.target, year=year))


@dataclass(frozen=True)
class Outlier:
    """A figure far from the unit's history: ``value`` against the ``median`` of the
    ``quarters`` before it that had a figure; ``high`` when above it."""

    value: int
    median: Fraction
    quarters: int
    high: bool

    @property
    def times(self) -> Fraction:
        """How many times the median the value is (below 1 for a low one)."""
        return Fraction(self.value) / self.median


def outlier(value: int | None, history: Iterable[int | None]) -> Outlier | None:
    """The figure ``value`` flagged against ``history`` (the unit's figures of the same
    element and category in the previous four quarters, None where it had none): more
    than three times their median, or under a third of it. Nothing is said without at
    least two quarters of history, nor of a median of 0 (no scale to compare with)."""
    known = [v for v in history if v is not None]
    if value is None or len(known) < OUTLIER_MIN_HISTORY:
        return None
    median = Fraction(statistics.median_low(known) + statistics.median_high(known), 2)
    if median == 0:
        return None
    if value > OUTLIER_FACTOR * median:
        return Outlier(value, median, len(known), high=True)
    if value * OUTLIER_FACTOR < median:
        return Outlier(value, median, len(known), high=False)
    return None


def previous_quarters(
    year: int, quarter: int, count: int = OUTLIER_QUARTERS
) -> list[tuple[int, int]]:
    """The ``count`` quarters before this one, latest first, as (year, quarter)."""
    found = []
    for _ in range(count):
        year, quarter = previous_quarter(year, quarter)
        found.append((year, quarter))
    return found
