"""The rows the REST API lists (/api/v1/), each narrowed to what the caller may see by
``access``: the units (as a tree), statuses (official, or provisional on request),
figures, reports, evidence records and publications, with the filters of their
endpoints."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Q, QuerySet

from commitments import access
from commitments.models import (
    Evidence,
    Figure,
    Publication,
    QuarterlyReport,
    Status,
    Target,
    Unit,
)


def units_tree(*, scope: access.Scope) -> list[tuple[Unit, int]]:
    """The units ``scope`` sees, each with its depth among them, in the order of the
    tree (a parent before its children, siblings by code)."""
    units = list(scope.filter(Unit.objects.select_related("parent"), "pk").order_by("code"))
    seen = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in seen else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(unit.pk, [])))
    return ordered


def statuses_listed(
    *, scope: access.Scope, filters: Mapping[str, object], provisional: bool = False
) -> QuerySet[Status]:
    """The statuses of the units ``scope`` sees, filtered by ``filters`` (year,
    quarter, unit, indicator, category and status codes). Provisional: each row's
    provisional version where there is one, as the dashboard's provisional view."""
    statuses = Status.every.all() if provisional else Status.objects.all()
    if provisional:
        typed = Status.every.filter(
            provisional=True,
            indicator=OuterRef("indicator"),
            unit=OuterRef("unit"),
            category=OuterRef("category"),
            year=OuterRef("year"),
            quarter=OuterRef("quarter"),
        )
        statuses = statuses.filter(Q(provisional=True) | ~Exists(typed))
    lookups = {
        "year": "year",
        "quarter": "quarter",
        "unit": "unit__code",
        "indicator": "indicator__code",
        "category": "category",
        "status": "status",
    }
    statuses = statuses.filter(
        **{lookups[name]: value for name, value in filters.items() if value is not None}
    )
    return scope.filter(statuses).select_related("indicator", "unit")


def figures_listed(*, scope: access.Scope, filters: Mapping[str, object]) -> QuerySet[Figure]:
    """The figures of the units ``scope`` sees (a unit's staff and its directors: those
    of the report form), filtered by year, quarter, unit and element codes."""
    lookups = {
        "year": "year",
        "quarter": "quarter",
        "unit": "unit__code",
        "element": "element__code",
    }
    figures = Figure.objects.filter(
        **{lookups[name]: value for name, value in filters.items() if value is not None}
    )
    return scope.filter(figures).select_related("unit", "element", "category")


def reports_listed(
    *, scope: access.Scope, filters: Mapping[str, object]
) -> QuerySet[QuarterlyReport]:
    """The quarterly reports of the units ``scope`` sees, filtered by year, quarter,
    unit code and state."""
    lookups = {"year": "year", "quarter": "quarter", "unit": "unit__code", "state": "state"}
    reports = QuarterlyReport.objects.filter(
        **{lookups[name]: value for name, value in filters.items() if value is not None}
    )
    return scope.filter(reports).select_related("unit")


def targets_listed(*, year: int | None) -> QuerySet[Target]:
    """The targets (of ``year``), with their indicator and overrides."""
    targets = Target.objects.select_related("indicator__commitment", "indicator__sheet")
    if year is not None:
        targets = targets.filter(year=year)
    return targets.prefetch_related("overrides__category").order_by(
        "year",
        "indicator__sheet_id",
        "indicator__commitment__position",
        "indicator__position",
        "pk",
    )


def evidence_listed(*, scope: access.Scope, filters: Mapping[str, object]) -> QuerySet[Evidence]:
    """The evidence records (metadata) of the units ``scope`` sees (those of the report
    form), filtered by year, quarter (of their date), unit code and kind."""
    evidence = Evidence.objects.all()
    if filters.get("year") is not None:
        evidence = evidence.filter(date__year=filters["year"])
    if filters.get("quarter") is not None:
        first = 3 * int(filters["quarter"]) - 2
        evidence = evidence.filter(date__month__gte=first, date__month__lte=first + 2)
    if filters.get("unit") is not None:
        evidence = evidence.filter(unit__code=filters["unit"])
    if filters.get("kind") is not None:
        evidence = evidence.filter(kind=filters["kind"])
    return scope.filter(evidence).select_related("unit", "subject_unit")


def publications_listed(*, filters: Mapping[str, object]) -> QuerySet[Publication]:
    """The published results (public, as /results/), filtered by year and department
    code, with their snapshots."""
    publications = Publication.objects.select_related("unit")
    if filters.get("year") is not None:
        publications = publications.filter(year=filters["year"])
    if filters.get("unit") is not None:
        publications = publications.filter(unit__code=filters["unit"])
    return publications.order_by("unit__code", "-year", "quarter")
