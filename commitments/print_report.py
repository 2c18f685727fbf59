"""The printed report (báo cáo in, A4): what it shows of a period, one part per
department (per top unit the user sees), read from the stored statuses
(``exports`` has the words, titles and commitments' summaries it shares with the
workbook)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Window

from commitments import access, engine, selectors
from commitments.exports import (
    CommitmentResult,
    commitment_results,
    commitments_in_force,
    period_title,
    report_title,
    unit_name,
)
from commitments.models import Status, Unit
from commitments.models.statuses import LISTED_KEPT
from commitments.selectors import unit_lists

# How many rows of units behind, and names of units a coverage indicator did not count,
# a department's printed report lists: a country's would list thousands. The rest are
# counted, and the matrix shows them all. As many as each status keeps in its short
# form (``Status.detail_listed``), so that the names are read from it.
UNITS_LISTED = LISTED_KEPT


# The order a report lists the units behind in (``_ordered``, of the rows of units).
BEHIND_ORDER = (
    "indicator__commitment__position",
    "indicator__commitment__code",
    "indicator__position",
    "indicator__code",
    "unit__code",
    "pk",
)


def report_statuses(
    *, year: int, quarter: int, scope: access.Scope, top_of, tops: Collection[int]
) -> tuple[list[Status], Counter]:
    """The statuses of one period (``quarter`` 0: the year to date) that the report
    shows: every row of the top units of ``scope``; of the units below them, the whole
    rows (no category) not met or at risk, the first ``UNITS_LISTED`` of each top unit
    (``top_of``) in the report's order. With how many such rows each top unit has in
    all; ``tops``: the ids of the top units. Three queries (the rows' indicators read
    once for all of them), and rows that do not grow with the units past the bound."""
    period = Status.objects.filter(year=year, quarter=quarter)
    behind = access.below_top_units(period.filter(category="", status__in=engine.BEHIND), scope)
    if len(tops) == 1:
        # One top unit (a department's director; a tree with one root): its first
        # rows and their count are the database's, sorted and counted there.
        ranked = behind.annotate(rows_in_list=Window(Count("pk"))).order_by(*BEHIND_ORDER)
        ranked = list(ranked.values_list("pk", "rows_in_list")[:UNITS_LISTED])
        shown = [pk for pk, _count in ranked]
        counts = Counter({next(iter(tops)): ranked[0][1]} if ranked else {})
    else:
        shown, counts = _first_behind(behind, top_of)
    # The top units by id and the rows by id: both through an index, where reading the
    # top units through their parents read the whole period of a country (forty
    # thousand rows) to keep a few hundred.
    statuses = period.filter(Q(unit_id__in=tops) | Q(pk__in=shown))
    statuses = unit_lists.listed(statuses.select_related("unit"), listed=UNITS_LISTED)
    statuses = [unit_lists.adopted(status) for status in statuses]
    return selectors.statuses.given_indicators(statuses), counts


def _first_behind(behind, top_of) -> tuple[list[int], Counter]:
    """Of the rows ``behind``, the ids of the first ``UNITS_LISTED`` of each top unit
    in the report's order, and how many each top unit has: the rows' keys read and
    each walked up to its top unit (``top_of``)."""
    rows_of: dict[int, list[tuple]] = defaultdict(list)
    for pk, unit_id, *order in behind.values_list("pk", "unit_id", *BEHIND_ORDER[:-1]):
        rows_of[top_of(unit_id)].append((*order, pk))
    counts, shown = Counter(), []
    for top, rows in rows_of.items():
        counts[top] = len(rows)
        shown += [row[-1] for row in sorted(rows)[:UNITS_LISTED]]
    return shown, counts


@dataclass
class MissingUnits:
    """A coverage indicator that falls short, and the units it did not count."""

    status: Status
    units: list[str]
    more: int = 0  # the units not named (past ``UNITS_LISTED``)


@dataclass
class DepartmentReport:
    """What one department (Sở) reports for a period."""

    unit: Unit
    name: str
    commitments: list[CommitmentResult]
    fields_behind: list[Status] = field(default_factory=list)
    units_behind: list[Status] = field(default_factory=list)
    units_behind_more: int = 0  # the rows not listed (past ``UNITS_LISTED``)
    units_missing: list[MissingUnits] = field(default_factory=list)


@dataclass
class Report:
    year: int
    quarter: int
    departments: list[DepartmentReport]
    # Category code -> name in the active language: the categories a per-category
    # indicator's target names ("each field ≥ 98% (Land, Investment ≥ 96%)").
    category_names: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return report_title(year=self.year, quarter=self.quarter)

    @property
    def period(self) -> str:
        return period_title(year=self.year, quarter=self.quarter)


def _ordered(statuses: Iterable[Status], categories: dict[str, str]) -> list[Status]:
    """In the order a report reads: commitment, indicator, the department before its
    units, each unit's whole before its categories (in the categories' own order); each
    row also gets ``unit_name``, ``category_name`` and ``behind`` (the names of the
    fields behind), in the active language."""
    position = {code: n for n, code in enumerate(categories, start=1)}  # "" (the whole): 0
    rows = sorted(
        statuses,
        key=lambda s: (
            s.indicator.commitment.position,
            s.indicator.commitment.code,
            s.indicator.position,
            s.indicator.code,
            s.unit.parent_id is not None,
            s.unit.code,
            position.get(s.category, 0),
            s.category,
        ),
    )
    for status in rows:
        status.unit_name = unit_name(status.unit)
        status.category_name = categories.get(status.category, status.category)
        status.behind = [categories.get(code, code) for code in status.facts.behind]
    return rows


def period_report(*, year: int, quarter: int, scope: access.Scope) -> Report:
    """The report of a quarter (or of the year to date), one part per department (per
    top unit of ``scope``):

    - each commitment in force with its indicators' results, targets and statuses;
    - the fields behind: the department's per-category rows not met or at risk;
    - the units behind: the units' own rows (the whole of an indicator) not met or at
      risk;
    - the units a coverage indicator that falls short did not count
      (``Status.facts.missing``).

    The units behind and the units missing are listed up to ``UNITS_LISTED`` a
    department, the rest counted. Five queries, one more to find the top units when
    the user sees every unit, one more to read the tree when there are several top
    units, one more when a coverage indicator names units, and one more when a top
    unit has no row of its own; whatever the number of units.
    """
    categories = selectors.statuses.category_names()
    commitments = commitments_in_force(year=year)
    top, tops = _tree(scope)
    statuses, behind = report_statuses(
        year=year, quarter=quarter, scope=scope, top_of=top, tops=tops
    )
    rows_of: dict[int, list[Status]] = defaultdict(list)
    for status in _ordered(statuses, categories):
        rows_of[top(status.unit_id)].append(status)
    units = _top_units(rows_of)
    missing = _units_missing(rows_of)

    departments = []
    for department_id in sorted(rows_of, key=lambda pk: units[pk].code):
        rows = rows_of[department_id]
        own = [s for s in rows if s.unit_id == department_id]
        department = DepartmentReport(
            unit=units[department_id],
            name=unit_name(units[department_id]),
            commitments=commitment_results(commitments, own),
            fields_behind=[s for s in own if s.category and s.status in engine.BEHIND],
            units_behind=[s for s in rows if s.unit_id != department_id],
            units_missing=[missing[s.pk] for s in own if s.pk in missing],
        )
        department.units_behind_more = behind[department_id] - len(department.units_behind)
        departments.append(department)
    return Report(year=year, quarter=quarter, departments=departments, category_names=categories)


def _tree(scope: access.Scope) -> tuple[Callable[[int], int], Collection[int]]:
    """The walk from a unit up to its top unit in ``scope`` (each unit walked once),
    and the ids of the top units: the tree read as parents only, one query, however
    many units a country has; none when there is one top unit, which every unit seen
    lies below."""
    tops = scope.top_ids
    if tops is None and scope.sees_all:
        tops = [unit.pk for unit in selectors.units.top_units(scope=scope)]
    if tops is not None and len(tops) == 1:
        (only,) = tops
        return (lambda _unit_id: only), tops
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    top_of_unit: dict[int, int] = {}

    def top(unit_id: int) -> int:
        if unit_id not in top_of_unit:
            walked, seen = unit_id, set()
            while not access.is_top_below(parents[walked], scope) and walked not in seen:
                seen.add(walked)
                walked = parents[walked]
            top_of_unit[unit_id] = walked
        return top_of_unit[unit_id]

    if tops is None:
        tops = [
            pk
            for pk, parent in parents.items()
            if pk in scope and access.is_top_below(parent, scope)
        ]
    return top, tops


def _top_units(rows_of: dict[int, list[Status]]) -> dict[int, Unit]:
    """The top units of the report, by id: each read with its own rows; one without
    any (only rows of units below it) read on its own."""
    units = {s.unit_id: s.unit for rows in rows_of.values() for s in rows if s.unit_id in rows_of}
    if unread := set(rows_of) - set(units):
        units |= Unit.objects.in_bulk(unread)
    return units


def _units_missing(rows_of: dict[int, list[Status]]) -> dict[int, MissingUnits]:
    """Of each top unit's coverage rows that fall short, by the row's id: the units it
    did not count, named up to ``UNITS_LISTED`` (only their names are read) and the
    rest counted."""
    short = [
        status
        for department_id, rows in rows_of.items()
        for status in rows
        if status.unit_id == department_id
        and status.indicator.kind == engine.COVERAGE
        and status.status in engine.BEHIND
    ]
    # Each row's detail read once: a country's row lists thousands of codes (the
    # rows are read with the first ``UNITS_LISTED`` only, and how many in all).
    facts_of = {status.pk: (status, status.facts) for status in short}
    names = selectors.units.unit_names(
        codes={code for _s, facts in facts_of.values() for code in facts.missing[:UNITS_LISTED]}
    )
    listed = {}
    for pk, (status, facts) in facts_of.items():
        if facts.missing:
            named = [names.get(code, code) for code in facts.missing[:UNITS_LISTED]]
            listed[pk] = MissingUnits(status, named, facts.missing_total - len(named))
    return listed
