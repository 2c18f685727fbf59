"""The calculation of statuses (trạng thái chỉ tiêu): pure, exact, and free of Django.

Everything here takes plain frozen dataclasses and returns plain dataclasses, so the
rules of the signed commitments can be read and tested without a database. Values are
``Fraction`` from start to end: a percentage is never rounded before it is compared,
because "98%" on a signed sheet means 98 exactly (``num * 100 >= 98 * den``).

Vocabulary (DOMAIN.md):

- a *figure* (số liệu) is one number per unit, quarter, data element and category;
- *evidence* (minh chứng) is a dated record: an inspection, a dialogue, an initiative...;
- an *indicator* (chỉ tiêu) says how a value is computed; its *target* for the year says
  what the value must reach, with overrides by category or unit attribute;
- a *status* row judges one indicator for one unit, category and period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

# Statuses, in the order a reader cares about them.
MET = "met"
NOT_MET = "not_met"
AT_RISK = "at_risk"
NO_DATA = "no_data"
NOT_APPLICABLE = "not_applicable"
TRACKED = "tracked"

# Indicator kinds.
RATIO = "ratio"
GROWTH_POINTS = "growth_points"
GROWTH_RELATIVE = "growth_relative"
COUNT = "count"
COVERAGE = "coverage"
MILESTONE = "milestone"

# Where a value comes from.
FIGURES = "figures"
EVIDENCE = "evidence"
PLAN_TASKS = "plan_tasks"
MILESTONES = "milestones"

# Per-unit conditions of a coverage indicator.
ELEMENT_AT_LEAST = "element_at_least"  # the unit's figure reaches condition_min
HAS_EVIDENCE = "has_evidence"  # the unit recorded evidence of the kind
SUBJECT_OF_EVIDENCE = "subject_of_evidence"  # the unit was named by evidence of the kind

# How a data element aggregates over time.
SUM = "sum"
LAST = "last"

# Reporting level of an indicator.
LEVEL_DEPARTMENT = "department"  # one row per department (root unit)
LEVEL_UNIT = "unit"  # a row per unit of the tree, and one per department

GE = ">="
GT = ">"

YEAR = 0  # the quarter number of a year-to-date row

HUNDRED = Fraction(100)


# ---------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitNode:
    """A unit of the tree (đơn vị) with the attributes scopes select on."""

    id: int
    code: str
    parent_id: int | None
    kind: str
    sector: str = ""
    public_service: bool = False
    receives_dossiers: bool = False


@dataclass(frozen=True)
class FigureRow:
    year: int
    quarter: int
    unit_id: int
    element: str
    category: str | None
    value: int


@dataclass(frozen=True)
class EvidenceRow:
    unit_id: int
    kind: str
    date: dt.date
    subject_unit_id: int | None = None


@dataclass(frozen=True)
class PlanTaskRow:
    unit_id: int
    year: int
    done_on: dt.date | None


@dataclass(frozen=True)
class MilestoneRow:
    indicator: str
    unit_id: int
    year: int
    done_on: dt.date | None
    has_evidence: bool


@dataclass(frozen=True)
class Scope:
    """Selects units by attributes; an empty or ``None`` field selects everyone."""

    kinds: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    public_service: bool | None = None
    receives_dossiers: bool | None = None

    def admits(self, unit: UnitNode) -> bool:
        return (
            (not self.kinds or unit.kind in self.kinds)
            and (not self.sectors or unit.sector in self.sectors)
            and (self.public_service is None or unit.public_service == self.public_service)
            and (self.receives_dossiers is None or unit.receives_dossiers == self.receives_dossiers)
        )


@dataclass(frozen=True)
class Override:
    """A threshold for one category, or for the units of one kind or sector."""

    threshold: Decimal
    comparator: str
    category: str | None = None
    unit_kind: str = ""
    unit_sector: str = ""

    def specificity(self, unit: UnitNode, category: str | None) -> int:
        """How many conditions match; -1 when one of them does not."""
        score = 0
        for wanted, actual in (
            (self.category, category),
            (self.unit_kind, unit.kind),
            (self.unit_sector, unit.sector),
        ):
            if wanted:
                if wanted != actual:
                    return -1
                score += 1
        return score


@dataclass(frozen=True)
class TargetSpec:
    """The target of an indicator for one year. ``threshold=None`` means tracked."""

    year: int
    threshold: Decimal | None
    comparator: str | None
    deadline: dt.date | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    overrides: tuple[Override, ...] = ()

    def resolve(self, unit: UnitNode, category: str | None) -> tuple[Decimal | None, str | None]:
        """The threshold and comparator that apply to a unit and category."""
        best, best_score = None, 0
        for override in self.overrides:
            score = override.specificity(unit, category)
            if score > best_score:
                best, best_score = override, score
        if best is not None:
            return best.threshold, best.comparator
        return self.threshold, self.comparator


@dataclass(frozen=True)
class IndicatorSpec:
    """How one indicator (chỉ tiêu) is computed and where it is reported."""

    code: str
    kind: str
    target: TargetSpec
    source: str = FIGURES
    tracked: bool = False
    per_category: bool = False
    quarterly: bool = False
    yearly: bool = True
    level: str = LEVEL_DEPARTMENT
    scope: Scope = field(default_factory=Scope)
    numerator: str = ""
    denominator: str = ""
    element: str = ""
    evidence_kind: str = ""
    distinct_subjects: bool = False
    coverage_rule: str = ""
    condition_min: int = 1


@dataclass(frozen=True)
class Dataset:
    """Everything the engine reads for one year (and its baseline years)."""

    units: Sequence[UnitNode]
    aggregations: Mapping[str, str]  # element code -> SUM or LAST
    figures: Sequence[FigureRow] = ()
    evidence: Sequence[EvidenceRow] = ()
    plan_tasks: Sequence[PlanTaskRow] = ()
    milestones: Sequence[MilestoneRow] = ()


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRow:
    indicator: str
    unit_id: int
    category: str  # "" for the indicator as a whole
    year: int
    quarter: int  # 1-4, or YEAR (0) for the year to date
    value: Fraction | None
    target: Decimal | None
    comparator: str | None
    status: str
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)


def period_label(year: int, quarter: int) -> str:
    return str(year) if quarter == YEAR else f"{year}-Q{quarter}"


# ---------------------------------------------------------------------------
# Periods and judgement
# ---------------------------------------------------------------------------


def quarter_of(day: dt.date) -> int:
    """The quarter (1-4) a day falls in."""
    return (day.month - 1) // 3 + 1


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    """The (year, quarter) before this one."""
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def period_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter, or of the year when ``quarter`` is YEAR."""
    if quarter == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = dt.date(year, 3 * quarter - 2, 1)
    last = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return first, last


def quarters_of(quarter: int) -> range:
    """The quarters a row adds up: the quarter alone, or all four for the year to date."""
    return range(1, 5) if quarter == YEAR else range(quarter, quarter + 1)


def compare(value: Fraction, threshold: Decimal, comparator: str) -> bool:
    """Exact comparison: ``Fraction(Decimal)`` is exact, so 3.00 points meets ">= 3"."""
    bound = Fraction(threshold)
    if comparator == GE:
        return value >= bound
    if comparator == GT:
        return value > bound
    raise ValueError(f"unknown comparator {comparator!r}")


def judge(
    value: Fraction | None,
    threshold: Decimal | None,
    comparator: str | None,
    *,
    is_open: bool,
    tracked: bool = False,
) -> str:
    """The status of a value against its threshold.

    A value that falls short while the period is still open is only ``at_risk``: the
    quarter (or the year to date) can still be caught up. Once the period has closed
    the same value is ``not_met``.
    """
    if value is None:
        return NO_DATA
    if tracked or threshold is None or comparator is None:
        return TRACKED
    if compare(value, threshold, comparator):
        return MET
    return AT_RISK if is_open else NOT_MET


def combine(statuses: Iterable[str]) -> str:
    """The status of a whole made of parts that must each be met (per-category rule).

    Parts without data do not count; with no part having data the whole has none.
    """
    judged = [s for s in statuses if s in (MET, NOT_MET, AT_RISK)]
    if not judged:
        return NO_DATA
    if NOT_MET in judged:
        return NOT_MET
    if AT_RISK in judged:
        return AT_RISK
    return MET


# ---------------------------------------------------------------------------
# Indexes over the data
# ---------------------------------------------------------------------------


class _Tree:
    """The unit tree with the members of each subtree, computed once."""

    def __init__(self, units: Sequence[UnitNode]):
        self.units = {u.id: u for u in units}
        children: dict[int | None, list[int]] = defaultdict(list)
        for unit in units:
            parent = unit.parent_id if unit.parent_id in self.units else None
            children[parent].append(unit.id)
        self.roots = sorted(children[None], key=lambda i: self.units[i].code)
        self.root_of: dict[int, int] = {}
        self.subtree: dict[int, list[int]] = {}
        for root in self.roots:
            self._walk(root, root, children)
        self._in_scope: dict[tuple[int, Scope], list[int]] = {}

    def _walk(self, root: int, start: int, children: Mapping[int | None, list[int]]) -> None:
        # Iterative post-order walk: deep trees must not hit the recursion limit.
        order: list[int] = []
        stack = [start]
        while stack:
            node = stack.pop()
            order.append(node)
            self.root_of[node] = root
            stack.extend(children.get(node, ()))
        for node in reversed(order):
            members = [node]
            for child in children.get(node, ()):
                members.extend(self.subtree[child])
            self.subtree[node] = members

    def members(self, unit_id: int, scope: Scope) -> list[int]:
        """The units of a subtree that the scope admits, the unit itself included."""
        key = (unit_id, scope)
        if key not in self._in_scope:
            self._in_scope[key] = [m for m in self.subtree[unit_id] if scope.admits(self.units[m])]
        return self._in_scope[key]

    def ordered(self) -> list[int]:
        """Every unit, each department first and then its subtree."""
        return [m for root in self.roots for m in self.subtree[root]]


ANY = object()  # all categories together


class _Figures:
    """Figures indexed by element, year and unit, aggregated over quarters on demand."""

    def __init__(self, figures: Iterable[FigureRow], aggregations: Mapping[str, str]):
        self.aggregations = aggregations
        # (element, year) -> unit -> category -> quarter -> value
        self._rows: dict[tuple[str, int], dict[int, dict[str | None, dict[int, int]]]] = (
            defaultdict(lambda: defaultdict(dict))
        )
        for f in figures:
            self._rows[(f.element, f.year)][f.unit_id].setdefault(f.category, {})[f.quarter] = (
                f.value
            )
        self._cache: dict[tuple, dict[int, int]] = {}

    def per_unit(self, element: str, year: int, quarters: range, category=ANY) -> dict[int, int]:
        """Each unit's value over the quarters; only units with at least one figure.

        A ``sum`` element adds the quarters; a ``last`` element (stocks, 0/1 flags) takes
        each category's latest quarter with a figure.
        """
        key = (element, year, quarters.start, quarters.stop, category)
        if key in self._cache:
            return self._cache[key]
        last = self.aggregations.get(element) == LAST
        result: dict[int, int] = {}
        for unit_id, by_category in self._rows.get((element, year), {}).items():
            total, seen = 0, False
            for cat, by_quarter in by_category.items():
                if category is not ANY and cat != category:
                    continue
                present = [q for q in quarters if q in by_quarter]
                if not present:
                    continue
                seen = True
                total += by_quarter[present[-1]] if last else sum(by_quarter[q] for q in present)
            if seen:
                result[unit_id] = total
        self._cache[key] = result
        return result

    def total(
        self, element: str, year: int, quarters: range, units: Iterable[int], category=ANY
    ) -> int | None:
        """Σ over the units; ``None`` when none of them has a figure."""
        values = self.per_unit(element, year, quarters, category)
        present = [values[u] for u in units if u in values]
        return sum(present) if present else None

    def categories(
        self, element: str, year: int, quarters: range, units: Iterable[int]
    ) -> list[str]:
        """The categories with at least one figure among the units in the quarters."""
        found: set[str] = set()
        rows = self._rows.get((element, year), {})
        for unit_id in units:
            for cat, by_quarter in rows.get(unit_id, {}).items():
                if cat is not None and any(q in by_quarter for q in quarters):
                    found.add(cat)
        return sorted(found)


# ---------------------------------------------------------------------------
# The computation
# ---------------------------------------------------------------------------


@dataclass
class _Context:
    year: int
    as_of: dt.date
    tree: _Tree
    figures: _Figures
    data: Dataset


def compute_statuses(
    indicators: Iterable[IndicatorSpec], data: Dataset, *, year: int, as_of: dt.date
) -> list[StatusRow]:
    """Every status row of a year, as of a date.

    Rows: for each indicator in force (it has a target for the year), each reporting
    unit (the departments, and for unit-level indicators every unit), each period the
    indicator is judged on (the quarters and/or the year to date), and for per-category
    indicators each category with data besides the whole.
    """
    # Everything is judged "so far" (DOMAIN.md): what is dated after ``as_of`` has not
    # happened yet. Figures of a quarter that has not begun stay out of the year to
    # date (a `last` element would take them as its latest quarter); a record dated
    # later does not count; a task or milestone done later is not done yet. Baseline
    # years are not touched.
    figures = [
        f for f in data.figures if f.year != year or period_bounds(year, f.quarter)[0] <= as_of
    ]
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
    ctx = _Context(
        year=year,
        as_of=as_of,
        tree=_Tree(data.units),
        figures=_Figures(figures, data.aggregations),
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
        for unit_id in units:
            for quarter in periods:
                rows.extend(_rows_for(indicator, unit_id, quarter, ctx))
    return rows


def _rows_for(
    indicator: IndicatorSpec, unit_id: int, quarter: int, ctx: _Context
) -> list[StatusRow]:
    unit = ctx.tree.units[unit_id]
    members = ctx.tree.members(unit_id, indicator.scope)

    def row(category: str, value, status: str, target=None, comparator=None, **detail):
        return StatusRow(
            indicator=indicator.code,
            unit_id=unit_id,
            category=category,
            year=ctx.year,
            quarter=quarter,
            value=value,
            target=target,
            comparator=comparator,
            status=status,
            detail=detail,
        )

    # A unit with nothing in the indicator's scope in its subtree is out of scope.
    if not members:
        return [row("", None, NOT_APPLICABLE)]

    start, end = period_bounds(ctx.year, quarter)
    if ctx.as_of < start:
        # The period has not begun: nothing can be said yet.
        threshold, comparator = _target_for(indicator, unit, None)
        return [row("", None, NO_DATA, threshold, comparator)]
    closes = min(end, indicator.target.deadline) if indicator.target.deadline else end
    is_open = ctx.as_of <= closes

    def judged(category: str | None, value: Fraction | None, detail: dict) -> StatusRow:
        threshold, comparator = _target_for(indicator, unit, category)
        status = judge(value, threshold, comparator, is_open=is_open, tracked=indicator.tracked)
        return row(category or "", value, status, threshold, comparator, **detail)

    compute = _KINDS[indicator.kind]
    if indicator.per_category:
        categories = _categories(indicator, members, quarter, ctx)
        parts = [judged(cat, *compute(indicator, members, quarter, ctx, cat)) for cat in categories]
        whole_value, whole_detail = compute(indicator, members, quarter, ctx, ANY)
        whole = judged(None, whole_value, whole_detail)
        if parts and not indicator.tracked:
            # "In each field": the whole is met only when every category with data is.
            # The categories that hold the whole back are named for the reader.
            behind = [p.category for p in parts if p.status in (NOT_MET, AT_RISK)]
            whole = replace(
                whole,
                status=combine(p.status for p in parts),
                detail={**whole.detail, "behind": behind},
            )
        return [whole, *parts]
    value, detail = compute(indicator, members, quarter, ctx, ANY)
    return [judged(None, value, detail)]


def _target_for(
    indicator: IndicatorSpec, unit: UnitNode, category: str | None
) -> tuple[Decimal | None, str | None]:
    if indicator.tracked:
        return None, None
    return indicator.target.resolve(unit, category)


def _categories(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context
) -> list[str]:
    element = indicator.denominator or indicator.element
    return ctx.figures.categories(element, ctx.year, quarters_of(quarter), members)


# Each kind returns (value, detail); detail keeps the numbers behind the value.
Computed = tuple[Fraction | None, dict]


def _ratio(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context, category=ANY
) -> Computed:
    """100 · Σ numerator / Σ denominator over the units: never an average of percentages."""
    if indicator.source == PLAN_TASKS:
        return _plan_task_ratio(indicator, members, ctx)
    num, den = _sums(indicator, members, ctx.year, quarters_of(quarter), ctx, category)
    if den is None or den == 0:
        return None, {"numerator": num, "denominator": den}
    return HUNDRED * Fraction(num or 0, den), {"numerator": num or 0, "denominator": den}


def _sums(
    indicator: IndicatorSpec, members: list[int], year: int, quarters: range, ctx, category=ANY
) -> tuple[int | None, int | None]:
    num = ctx.figures.total(indicator.numerator, year, quarters, members, category)
    den = ctx.figures.total(indicator.denominator, year, quarters, members, category)
    return num, den


def _plan_task_ratio(indicator: IndicatorSpec, members: list[int], ctx: _Context) -> Computed:
    """Share of the year's plan tasks done on or before the target's deadline."""
    in_units = set(members)
    tasks = [t for t in ctx.data.plan_tasks if t.year == ctx.year and t.unit_id in in_units]
    if not tasks:
        return None, {"numerator": None, "denominator": None}
    deadline = indicator.target.deadline or dt.date(ctx.year, 12, 31)
    done = sum(1 for t in tasks if t.done_on is not None and t.done_on <= deadline)
    return HUNDRED * Fraction(done, len(tasks)), {"numerator": done, "denominator": len(tasks)}


def _growth_points(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context, category=ANY
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
    indicator: IndicatorSpec, members: list[int], year: int, ctx: _Context, category=ANY
) -> Fraction | None:
    num, den = _sums(indicator, members, year, quarters_of(YEAR), ctx, category)
    if not den:
        return None
    return HUNDRED * Fraction(num or 0, den)


def _growth_relative(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context, category=ANY
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
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context, category=ANY
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


def _evidence_in(kind: str, members: list[int], quarter: int, ctx: _Context) -> list[EvidenceRow]:
    start, end = period_bounds(ctx.year, quarter)
    in_units = set(members)
    return [
        r
        for r in ctx.data.evidence
        if r.kind == kind and r.unit_id in in_units and start <= r.date <= end
    ]


def _coverage(
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context, category=ANY
) -> Computed:
    """100 · units that satisfy the per-unit condition / units in scope."""
    quarters = quarters_of(quarter)
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
    indicator: IndicatorSpec, members: list[int], quarter: int, ctx: _Context, category=ANY
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


_KINDS = {
    RATIO: _ratio,
    GROWTH_POINTS: _growth_points,
    GROWTH_RELATIVE: _growth_relative,
    COUNT: _count,
    COVERAGE: _coverage,
    MILESTONE: _milestone,
}


# ---------------------------------------------------------------------------
# Year-end projection
# ---------------------------------------------------------------------------


def project_ratio(quarters: Sequence[tuple[int, int]], remaining: int) -> Fraction | None:
    """Where a ratio's year lands if the quarters so far continue (dự báo cuối năm).

    ``quarters`` are the (numerator, denominator) of the quarters with data, in order.
    Each remaining quarter gets the average volume of the quarters so far and a rate
    that follows the straight-line trend of their rates (least squares), kept within
    0 to 100%; the year is then Σ numerators / Σ denominators as always. With one quarter
    the trend is flat. ``None`` without data.
    """
    observed = [(n, d) for n, d in quarters if d]
    if not observed:
        return None
    numerator = sum(n for n, _ in observed)
    denominator = sum(d for _, d in observed)
    if remaining <= 0:
        return HUNDRED * Fraction(numerator, denominator)
    rates = [Fraction(n, d) for n, d in observed]
    count = len(rates)
    mean_x = Fraction(count - 1, 2)
    mean_rate = sum(rates) / count
    spread = sum((x - mean_x) ** 2 for x in range(count))
    slope = (
        sum((x - mean_x) * (rate - mean_rate) for x, rate in enumerate(rates)) / spread
        if spread
        else Fraction(0)
    )
    volume = Fraction(denominator, count)
    for step in range(remaining):
        rate = mean_rate + slope * (count + step - mean_x)
        rate = min(max(rate, Fraction(0)), Fraction(1))
        numerator += rate * volume
        denominator += volume
    return HUNDRED * numerator / denominator
