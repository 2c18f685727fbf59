"""The statuses as the pages and the export read them: a year's, an indicator's, the
units x indicators matrix, the departments' coverage rows, and the names they show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from commitments import access, engine
from commitments.models import (
    Category,
    Indicator,
    QuarterlyReport,
    RecomputeState,
    Status,
    Target,
    Unit,
)
from commitments.models.statuses import oldest_request


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
        """The rows to show, in their order: each row's provisional version if any."""
        statuses = list(statuses)
        if not self.provisional:
            return statuses
        typed = {_key(s) for s in statuses if s.provisional}
        return [s for s in statuses if s.provisional or _key(s) not in typed]


OFFICIAL = Basis()


def _key(status: Status) -> tuple:
    return (status.indicator_id, status.unit_id, status.category, status.year, status.quarter)


@dataclass(frozen=True)
class ApprovalProgress:
    """How many of the reports a period's figures come from are approved: "12 of 16
    reports approved" for a quarter, every report of the quarters begun for a year."""

    approved: int
    expected: int


def approval_progress(units: Iterable[Unit], *, quarters: list[int]) -> ApprovalProgress:
    """The approved reports among ``units`` as read by ``units_by_code(approvals=…)``:
    only the units that must report count (the department has no report)."""
    reporting = [u for u in units if u.kind != Unit.Kind.DEPARTMENT]
    return ApprovalProgress(
        approved=sum(getattr(u, "approved_reports", 0) for u in reporting),
        expected=len(reporting) * len(quarters),
    )


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
    shows of each row; one query."""
    statuses = basis.statuses().filter(year=year)
    statuses = (
        access.top_units_only(statuses, scope) if unit is None else statuses.filter(unit=unit)
    )
    return basis.pick(
        statuses.select_related(
            "unit",
            "indicator__commitment",
            "indicator__numerator",
            "indicator__denominator",
            "indicator__element",
        ).order_by("unit__code", "indicator__commitment__position", "indicator__position")
    )


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
    quarter is compared with, from the year before (one query)."""
    statuses = basis.statuses().filter(year=year, quarter=quarter, category="")
    statuses = (
        access.top_units_only(statuses, scope) if unit is None else statuses.filter(unit=unit)
    )
    return basis.pick(
        statuses.select_related(
            "unit",
            "indicator__commitment",
            "indicator__numerator",
            "indicator__denominator",
            "indicator__element",
        ).order_by("unit__code", "indicator__commitment__position", "indicator__position")
    )


def indicator_statuses(
    *,
    indicator: Indicator,
    year: int,
    scope: access.Scope | None = None,
    basis: Basis = OFFICIAL,
) -> list[Status]:
    """Every status of one indicator in a year: each unit (each unit ``scope`` sees),
    period and category."""
    statuses = basis.statuses().filter(indicator=indicator, year=year)
    if scope is not None:
        statuses = scope.filter(statuses)
    return basis.pick(
        statuses.select_related("unit", "indicator__denominator", "indicator__element").order_by(
            "unit__code", "quarter", "category"
        )
    )


def matrix_statuses(
    *, year: int, quarter: int, scope: access.Scope | None = None, basis: Basis = OFFICIAL
) -> list[Status]:
    """The rows of the units x indicators matrix for one period: every unit's rows of
    unit-level indicators (of the units ``scope`` sees), and the departments' rows of
    coverage indicators (whose detail names the units that miss the condition; a page
    reads there only the units it shows)."""
    own_rows = Q(indicator__level=engine.LEVEL_UNIT)
    if scope is not None and not scope.sees_all:
        own_rows &= Q(unit__in=scope.unit_ids)
    return basis.pick(
        basis.statuses()
        .filter(year=year, quarter=quarter, category="")
        .filter(own_rows | Q(indicator__kind=engine.COVERAGE, unit__parent__isnull=True))
        .select_related(
            "unit", "indicator__commitment", "indicator__denominator", "indicator__element"
        )
        .order_by("indicator__commitment__position", "indicator__position")
    )


def coverage_statuses(*, year: int, quarter: int, basis: Basis = OFFICIAL) -> list[Status]:
    """The departments' coverage rows of a period: each names the units that meet its
    condition and those that miss it."""
    return basis.pick(
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


def units_by_code(*, approvals: tuple[int, list[int]] | None = None) -> dict[str, Unit]:
    """Every unit by code; with ``approvals`` (a year and its quarters), each unit also
    counts its approved reports of those quarters (``approved_reports``), in the same
    query."""
    units = Unit.objects.all()
    if approvals is not None:
        year, quarters = approvals
        units = units.annotate(
            approved_reports=Count(
                "quarterly_reports",
                filter=Q(
                    quarterly_reports__year=year,
                    quarterly_reports__quarter__in=quarters,
                    quarterly_reports__state=QuarterlyReport.State.APPROVED,
                ),
            )
        )
    return {u.code: u for u in units}


def recompute_state(*, year: int) -> RecomputeState | None:
    return RecomputeState.objects.filter(year=year).first()


def years_with_states() -> dict[int, RecomputeState | None]:
    """The years with targets, in order, each with the state of its recompute and the
    oldest of its requests still waiting (None before its first recompute or
    request): what the period chooser reads and, in the same query, what a page
    showing statuses says of them (``RecomputeState.behind_since``)."""
    fields = [f.attname for f in RecomputeState._meta.concrete_fields if f.name != "year"]
    state = RecomputeState.objects.filter(year=OuterRef("year"))
    rows = (
        Target.objects.order_by("year")
        .values("year")
        .distinct()
        .annotate(**{f"state_{name}": Subquery(state.values(name)[:1]) for name in fields})
        .annotate(requested_at=oldest_request(OuterRef("year")))
    )
    return {row["year"]: _state(row, fields) for row in rows}


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
    return [
        {
            "indicator": s.indicator.code,
            "unit": s.unit.code,
            "category": s.category or None,
            "period": s.period,
            "value": export_number(s.value),
            "target": export_number(s.target),
            "comparator": s.comparator or None,
            "status": s.status,
        }
        for s in statuses_for_export(year=year, scope=scope)
    ]


def export_number(value: Decimal | None) -> float | None:
    """A value or target as the export contract gives it: a number rounded half up to
    two places, ``None`` for none."""
    value = engine.rounded(value)
    return None if value is None else float(value)
