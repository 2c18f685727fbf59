"""The unit tree as the pages read it, a level at a time (cây đơn vị): the top units a
user sees, a unit's place in the tree (its ancestors) and its children, the names of
the units a page names, and how many reports of a period are approved among the
units a user sees. A page never reads every unit of a national tree: it reads the
level it shows, and counts the rest in the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from commitments import access
from commitments.models import QuarterlyReport, Unit


@dataclass(frozen=True)
class ApprovalProgress:
    """How many of the reports a period's figures come from are approved: "12 of 16
    reports approved" for a quarter, every report of the quarters begun for a year."""

    approved: int
    expected: int


def subtree_ids(unit: Unit) -> RawSQL:
    """The ids of ``unit`` and of every unit below it, as a subquery (a recursive
    query, which SQLite and PostgreSQL both run): ``filter(pk__in=subtree_ids(u))``."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    return RawSQL(
        f"""WITH RECURSIVE below(id) AS (
                SELECT id FROM {table} WHERE id = %s
                UNION
                SELECT child.id FROM {table} child JOIN below ON child.parent_id = below.id
            ) SELECT id FROM below""",
        [unit.pk],
    )


def top_units(*, scope: access.Scope) -> list[Unit]:
    """The top units of a scope (``access.is_top_unit``): for a superuser the root
    units, else the visible units whose parent is not visible; by code. One query."""
    units = Unit.objects.order_by("code")
    if scope.sees_all:
        return list(units.filter(parent__isnull=True))
    if scope.top_ids is not None:
        return list(units.filter(pk__in=scope.top_ids))
    return list(units.filter(pk__in=scope.ids()).exclude(parent__in=scope.ids()))


def _above_sql(count: int) -> str:
    """The units ``count`` ids name and every unit above them, as (id, parent_id): a
    recursive query, which SQLite and PostgreSQL both run."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    ids = ", ".join(["%s"] * count)
    return f"""WITH RECURSIVE above(id, parent_id) AS (
            SELECT id, parent_id FROM {table} WHERE id IN ({ids})
            UNION
            SELECT parent.id, parent.parent_id FROM {table} parent
            JOIN above ON parent.id = above.parent_id
        )"""


def ancestors(unit: Unit) -> list[Unit]:
    """The units above ``unit``, the root first (without the unit itself). One query,
    none for a root."""
    if unit.parent_id is None:
        return []
    chain = RawSQL(f"{_above_sql(1)} SELECT id FROM above", [unit.parent_id])
    above = {u.pk: u for u in Unit.objects.filter(pk__in=chain)}
    path, pk = [], unit.parent_id
    while pk in above and len(path) <= len(above):
        path.append(above[pk])
        pk = above[pk].parent_id
    return path[::-1]


def root_ids(units: Iterable[Unit]) -> set[int]:
    """The ids of the roots of the trees ``units`` belong to (the departments whose
    coverage rows judge them): one query, none when every unit is a root."""
    units = list(units)
    roots = {u.pk for u in units if u.parent_id is None}
    below = [u.pk for u in units if u.parent_id is not None]
    if below:
        with connection.cursor() as cursor:
            cursor.execute(
                f"{_above_sql(len(below))} SELECT id FROM above WHERE parent_id IS NULL", below
            )
            roots.update(pk for (pk,) in cursor.fetchall())
    return roots


def departments_of(units: Iterable[Unit]) -> dict[int, tuple[int, str]]:
    """The department (the root of its tree, whose sheet judges it) of each of
    ``units``, by unit id, as (id, code): one query, none when every unit is a root."""
    units = list(units)
    found = {u.pk: (u.pk, u.code) for u in units if u.parent_id is None}
    below = [u.pk for u in units if u.parent_id is not None]
    if below:
        table = connection.ops.quote_name(Unit._meta.db_table)
        ids = ", ".join(["%s"] * len(below))
        sql = f"""WITH RECURSIVE up(id, parent_id, code, start) AS (
                SELECT id, parent_id, code, id FROM {table} WHERE id IN ({ids})
                UNION
                SELECT parent.id, parent.parent_id, parent.code, up.start FROM {table} parent
                JOIN up ON parent.id = up.parent_id
            ) SELECT start, id, code FROM up WHERE parent_id IS NULL"""
        with connection.cursor() as cursor:
            cursor.execute(sql, below)
            found.update((start, (pk, code)) for start, pk, code in cursor.fetchall())
    return found


def children(*, parents: Iterable[Unit], scope: access.Scope) -> QuerySet[Unit]:
    """The units directly below ``parents`` that the scope sees, by code, each with
    how many units are directly below it (``child_count``), for a page to offer a
    level further down."""
    units = Unit.objects.filter(parent__in=[p.pk for p in parents]).order_by("code")
    return scope.filter(units, "pk").annotate(child_count=Count("children"))


def has_children(unit_field: str = "pk") -> Exists:
    """Whether a unit (the ``unit_field`` of the rows annotated) has a unit below it."""
    return Exists(Unit.objects.filter(parent=OuterRef(unit_field)))


def unit_names(*, codes: Iterable[str]) -> dict[str, str]:
    """The name of each unit of ``codes`` in the active language (``Unit.label``), by
    code; one query, none for no code."""
    codes = set(codes)
    if not codes:
        return {}
    return {
        u.code: u.label for u in Unit.objects.filter(code__in=codes).only("code", "name", "name_en")
    }


def approval_progress(
    *,
    scope: access.Scope,
    year: int,
    quarters: list[int],
    within: Unit | None = None,
) -> ApprovalProgress:
    """How many reports of a period are approved among the units the scope sees
    (within one unit's subtree, with ``within``): only the units that must report
    count (a department has no report). One query, counted in the database."""
    units = scope.filter(Unit.objects.exclude(kind=Unit.Kind.DEPARTMENT), "pk")
    if within is not None:
        units = units.filter(pk__in=subtree_ids(within))
    totals = units.aggregate(
        reporting=Count("pk", distinct=True),
        approved=Count(
            "quarterly_reports",
            filter=Q(
                quarterly_reports__year=year,
                quarterly_reports__quarter__in=quarters,
                quarterly_reports__state=QuarterlyReport.State.APPROVED,
            ),
        ),
    )
    return ApprovalProgress(
        approved=totals["approved"], expected=totals["reporting"] * len(quarters)
    )
