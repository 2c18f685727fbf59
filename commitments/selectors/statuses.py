"""The statuses as the pages and the export read them: a year's, an indicator's, the
units x indicators matrix, the departments' coverage rows, and the names they show."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from commitments import access, engine
from commitments.insights import NAMED_AT_MOST
from commitments.models import (
    Category,
    Indicator,
    RecomputeState,
    Status,
    Target,
    Unit,
)
from commitments.models.statuses import WORST_FIRST, oldest_request
from commitments.selectors import unit_lists


@dataclass(frozen=True)
class Basis:
    """Which statuses a page reads (DOMAIN.md, "Official figures"): the official ones
    by default; on request, the provisional ones, computed with every figure as typed.
    The provisional set exists only while some report of the year waits for approval,
    so the provisional view reads both sets in the same query and keeps, for each row,
    the provisional one where there is one."""

    provisional: bool = False

    def statuses(self) -> QuerySet[Status]:
        return Status.every.all() if self.provisional else Status.objects.all()

    def pick(self, statuses: Iterable[Status]) -> list[Status]:
        """The rows to show, in their order: each row's provisional version if any
        (each row read through ``unit_lists.listed`` given its cut detail)."""
        statuses = [unit_lists.adopted(status) for status in statuses]
        if not self.provisional:
            return statuses
        typed = {_key(s) for s in statuses if s.provisional}
        return [s for s in statuses if s.provisional or _key(s) not in typed]

    def narrow(self, statuses: QuerySet[Status]) -> QuerySet[Status]:
        """What ``pick`` keeps, said in the database: for a query a page sorts and
        pages rather than reads whole."""
        if not self.provisional:
            return statuses
        typed = Status.every.filter(
            provisional=True,
            indicator=OuterRef("indicator"),
            unit=OuterRef("unit"),
            category=OuterRef("category"),
            year=OuterRef("year"),
            quarter=OuterRef("quarter"),
        )
        return statuses.filter(Q(provisional=True) | ~Exists(typed))


OFFICIAL = Basis()


def _key(status: Status) -> tuple:
    return (status.indicator_id, status.unit_id, status.category, status.year, status.quarter)


def statuses_for_export(*, year: int, scope: access.Scope | None = None) -> QuerySet[Status]:
    """Every status of a year, in a stable order, with the codes the export names;
    with a ``scope``, only the statuses of the units it sees."""
    statuses = Status.objects.filter(year=year)
    if scope is not None:
        statuses = scope.filter(statuses)
    return statuses.select_related("indicator", "unit").order_by(
        "indicator__commitment__position",
        "indicator__position",
        "unit__code",
        "category",
        "quarter",
    )


def category_names() -> dict[str, str]:
    """Category code -> name in the active language, in the categories' order."""
    return {c.code: c.name for c in Category.objects.all()}


def year_statuses(
    *,
    year: int,
    unit: Unit | None = None,
    scope: access.Scope | None = None,
    basis: Basis = OFFICIAL,
) -> list[Status]:
    """Every status of a year (all periods, the wholes and each category) of one unit,
    or of the top units of ``scope`` (without one: the departments), with what a page
    shows of each row (the units a row names: the first few, ``unit_lists``); two
    queries."""
    statuses = basis.statuses().filter(year=year)
    statuses = (
        access.top_units_only(statuses, scope) if unit is None else statuses.filter(unit=unit)
    )
    return _page_rows(statuses, basis)


def _page_rows(statuses: QuerySet[Status], basis: Basis) -> list[Status]:
    """The rows of a unit's or a department's page in the sheet's order, each with its
    unit, its indicator (``given_indicators``) and its detail naming the first
    ``NAMED_AT_MOST`` units it misses."""
    rows = unit_lists.listed(
        statuses.select_related("unit").order_by(
            "unit__code", "indicator__commitment__position", "indicator__position"
        ),
        listed=NAMED_AT_MOST,
    )
    return given_indicators(basis.pick(rows))


def given_indicators(statuses: list[Status]) -> list[Status]:
    """Each row given its indicator, with its commitment and the elements a page names,
    read once for all the rows (one query): a page's rows repeat a few indicators
    hundreds of times. Unordered: the indicators' own order joins their sheet and
    commitment, which a look-up by id has no use for."""
    indicators = (
        Indicator.objects.select_related("commitment", "numerator", "denominator", "element")
        .order_by()
        .in_bulk({s.indicator_id for s in statuses})
    )
    for status in statuses:
        status.indicator = indicators[status.indicator_id]
    return statuses


def period_statuses(
    *,
    year: int,
    quarter: int,
    scope: access.Scope | None = None,
    unit: Unit | None = None,
    basis: Basis = OFFICIAL,
) -> list[Status]:
    """The wholes of one period of one unit, or of the top units of ``scope`` (without
    one: the departments), with what a commitment card reads of each: what a first
    quarter is compared with, from the year before (two queries)."""
    statuses = basis.statuses().filter(year=year, quarter=quarter, category="")
    statuses = (
        access.top_units_only(statuses, scope) if unit is None else statuses.filter(unit=unit)
    )
    return _page_rows(statuses, basis)


def indicator_statuses(
    *,
    indicator: Indicator,
    year: int,
    scope: access.Scope | None = None,
    basis: Basis = OFFICIAL,
) -> list[Status]:
    """Every status of one indicator in a year of the top units of ``scope`` (without
    one: the departments): each period and category, for its chart and its table of
    the department. One query; each row is given ``indicator``, as read already, and
    names the first ``NAMED_AT_MOST`` units it misses (``unit_lists``)."""
    statuses = access.top_units_only(basis.statuses().filter(indicator=indicator, year=year), scope)
    statuses = statuses.select_related("unit").order_by("unit__code", "quarter", "category")
    return with_indicator(basis.pick(unit_lists.listed(statuses, listed=NAMED_AT_MOST)), indicator)


def indicator_units_worst_first(
    *,
    indicator: Indicator,
    year: int,
    quarter: int,
    scope: access.Scope | None = None,
    basis: Basis = OFFICIAL,
) -> QuerySet[Status]:
    """The wholes of one indicator in one period of every unit ``scope`` sees below
    its top units, the indicator in the unit's scope: the worst status first, then the
    lowest value (none last), then by code. A query to page: only the period shown,
    only the rows of the page are read."""
    statuses = basis.narrow(
        basis.statuses()
        .filter(indicator=indicator, year=year, quarter=quarter, category="")
        .exclude(status=engine.NOT_APPLICABLE)
    )
    # Every row is of the one indicator: each row of the page is given it
    # (``with_indicator``) rather than read with it. The order is that of the index
    # ``status_indicator_period``: a page is read from it in order, and counted from
    # it without the units (``access.below_top_units``).
    return (
        access.below_top_units(statuses, scope)
        .select_related("unit")
        .order_by(WORST_FIRST, F("value").asc(nulls_last=True), "unit__code")
    )


def with_indicator(statuses: Iterable[Status], indicator: Indicator) -> list[Status]:
    """The rows of one indicator read without it, each given it, as read already."""
    statuses = list(statuses)
    for status in statuses:
        status.indicator = indicator
    return statuses


def matrix_statuses(
    *,
    year: int,
    quarter: int,
    units: Iterable[Unit],
    roots: Collection[int],
    basis: Basis = OFFICIAL,
) -> list[Status]:
    """The rows of the units x indicators matrix for one period and the units it
    shows: their own rows of unit-level indicators, and the coverage rows of their
    departments (``roots``: ``selectors.units.root_ids``), whose detail names the units
    that miss the condition (a page reads there only the units it shows), in the
    sheet's order. Two queries: the rows of those units only, then their indicators
    (a few, each read once rather than with every row)."""
    shown = [u.pk for u in units]
    statuses = (
        basis.statuses()
        .filter(year=year, quarter=quarter, category="", unit__in=[*shown, *roots])
        .filter(
            Q(indicator__level=engine.LEVEL_UNIT, unit__in=shown)
            | Q(indicator__kind=engine.COVERAGE, unit__in=roots)
        )
        .order_by("indicator__commitment__position", "indicator__position")
        .defer("computed_at")
    )
    # The departments' coverage rows are read whole: cutting a country's lists to the
    # units of a level in SQL (``unit_lists``, as for one unit) took longer.
    return given_indicators(basis.pick(statuses))


def coverage_statuses(
    *, year: int, quarter: int, codes: Collection[str], basis: Basis = OFFICIAL
) -> list[Status]:
    """The departments' coverage rows of a period: each names, of the units of
    ``codes``, those that meet its condition and those that miss it (``unit_lists``)."""
    statuses = (
        basis.statuses()
        .filter(
            year=year,
            quarter=quarter,
            category="",
            indicator__kind=engine.COVERAGE,
            unit__parent__isnull=True,
        )
        .select_related("indicator")
        .order_by("indicator__commitment__position", "indicator__position")
    )
    return basis.pick(unit_lists.listed(statuses, codes=codes))


def recompute_state(*, year: int) -> RecomputeState | None:
    return RecomputeState.objects.filter(year=year).first()


def years_with_states() -> dict[int, RecomputeState | None]:
    """The years with targets, in order, each with the state of its recompute and the
    oldest of its requests still waiting (None before its first recompute or
    request): what the period chooser reads and, in the same query, what a page
    showing statuses says of them (``RecomputeState.behind_since``)."""
    return {row["year"]: _state(row, _STATE_FIELDS) for row in _years_with_states().all()}


_STATE_FIELDS = [f.attname for f in RecomputeState._meta.concrete_fields if f.name != "year"]


@cache
def _years_with_states() -> QuerySet:
    """The query of ``years_with_states``, built once a process: every page runs it,
    and building its eight subqueries cost twice what running it does."""
    state = RecomputeState.objects.filter(year=OuterRef("year"))
    return (
        Target.objects.order_by("year")
        .values("year")
        .distinct()
        .annotate(**{f"state_{name}": Subquery(state.values(name)[:1]) for name in _STATE_FIELDS})
        .annotate(requested_at=oldest_request(OuterRef("year")))
    )


def _state(row: dict, fields: list[str]) -> RecomputeState | None:
    if row["state_id"] is None and row["requested_at"] is None:
        return None
    state = RecomputeState(year=row["year"], **{f: row[f"state_{f}"] for f in fields})
    state.requested_at = row["requested_at"]
    return state


EXPORT_COLUMNS = [
    "indicator",
    "unit",
    "category",
    "period",
    "value",
    "target",
    "comparator",
    "status",
]


def status_export_rows(*, year: int, scope: access.Scope | None = None) -> list[dict]:
    """The statuses of a year (of the units ``scope`` sees) in the shape of CONTRACT.md:
    numbers rounded to 2 places (half up), ``null`` for what is absent."""
    return list(status_export_stream(year=year, scope=scope))


def status_export_stream(
    *, year: int, scope: access.Scope | None = None, chunk: int = 2000
) -> Iterator[dict]:
    """``status_export_rows`` one row at a time, read from the database ``chunk`` rows
    at a time as plain values: the whole country's year (a few hundred thousand rows)
    goes out without ever being held whole."""
    rows = statuses_for_export(year=year, scope=scope).values_list(
        "indicator__code",
        "unit__code",
        "category",
        "year",
        "quarter",
        "value",
        "target",
        "comparator",
        "status",
    )
    for (
        indicator,
        unit,
        category,
        year_,
        quarter,
        value,
        target,
        comparator,
        status,
    ) in rows.iterator(chunk_size=chunk):
        yield {
            "indicator": indicator,
            "unit": unit,
            "category": category or None,
            "period": engine.period_label(year_, quarter),
            "value": export_number(value),
            "target": export_number(target),
            "comparator": comparator or None,
            "status": status,
        }


def export_number(value: Decimal | None) -> float | None:
    """A value or target as the export contract gives it: a number rounded half up to
    two places, ``None`` for none."""
    value = engine.rounded(value)
    return None if value is None else float(value)


def report_indicators(*, year: int, quarter: int, scope: access.Scope) -> list[Indicator]:
    """The indicators with a target in ``year``, with their commitments, those of the
    sheets the top units of ``scope`` are judged on in the quarter (another
    department's sheet is not theirs; every sheet while nothing is judged): the report
    names each of their commitments, even one with nothing judged. One query."""
    judged = access.top_units_only(
        Status.objects.filter(year=year, quarter=quarter, indicator__sheet=OuterRef("sheet")),
        scope,
    )
    indicators = list(
        Indicator.objects.filter(targets__year=year)
        .select_related("commitment__sheet__department", "denominator", "element")
        .annotate(judged=Exists(judged))
        .distinct()
    )
    if any(i.judged for i in indicators):
        indicators = [i for i in indicators if i.judged]
    return indicators
