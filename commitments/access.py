"""Who may see and do what: the roles of a membership, the units a user sees
(``Scope``) and the departments whose sheets they read (``departments_seen``), what a
user may do with a unit's quarterly report, who publishes a department's results, who
follows the reporting completeness and who recomputes; the city's coordinating office,
which reads every department's results (``may_view_city``, ``reading_scope``).

Reads memberships and units only; every page, export and service asks here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from commitments import engine
from commitments.models import Membership, QuarterlyReport, Unit

ROLE_STAFF = Membership.Role.STAFF.value
ROLE_DIRECTOR = Membership.Role.DIRECTOR.value
ROLE_ADMIN = "admin"

# The Django permission of the users who may change targets (the targets page).
CHANGE_TARGETS = "commitments.change_target"
# The Django permission of the city's coordinating office (the Department of Home
# Affairs, Sở Nội vụ, in Ho Chi Minh City): the city view, and every department's
# results read as its director reads them. An admin gives it to a group in /admin/.
VIEW_CITY = "commitments.view_city"


@dataclass(frozen=True)
class Scope:
    """The units a user may see: all of them (``everything``, a superuser, who may also
    do everything), or the units of their memberships with, for a director, every unit
    below. On the result pages the city's coordinating office reads every unit
    (``reads_all``, ``reading_scope``) and acts only where its memberships say."""

    everything: bool
    unit_ids: frozenset[int]
    director_ids: frozenset[int]  # units where the user acts as a director
    staff_ids: frozenset[int]  # units whose reports the user writes
    # The units of the user's director memberships: ``director_ids`` are they and every
    # unit below them.
    heads: frozenset[int] = frozenset()
    # The top units (``is_top_unit``), when known: units of the user's memberships,
    # since every other unit they see lies below one they direct.
    top_ids: frozenset[int] | None = None
    # The departments (top units of the tree) of the units seen, when read with the
    # scope; else ``departments_seen`` reads them.
    departments: frozenset[int] | None = None
    reads_all: bool = False  # sees every unit, as the city office on the result pages

    @property
    def sees_all(self) -> bool:
        """Whether every unit is visible (a superuser, or the city office reading)."""
        return self.everything or self.reads_all

    def __contains__(self, unit: Unit | int) -> bool:
        pk = unit if isinstance(unit, int) else unit.pk
        return self.sees_all or pk in self.unit_ids

    def filter(self, queryset, field: str = "unit"):
        """The queryset narrowed to rows whose ``field`` is a visible unit."""
        if self.sees_all:
            return queryset
        return queryset.filter(**{f"{field}__in": self.ids()})

    def ids(self, *, directed: bool = False):
        """The visible units (``directed``: those the user directs), to filter a query
        by: the ids themselves while they are few; for a director of thousands of units
        (a country's), the walk down the tree from the units they direct, done by the
        database, rather than thousands of ids sent with every query."""
        ids = self.director_ids if directed else self.unit_ids
        if len(ids) <= FEW_UNITS or not self.heads:
            return ids
        staff = () if directed else tuple(self.staff_ids - self.director_ids)
        return _units_below_sql(self.heads, staff)

    @property
    def empty(self) -> bool:
        return not self.sees_all and not self.unit_ids


# How many units a scope names by id in a query; more are walked in the database.
FEW_UNITS = 500

NO_SCOPE = Scope(False, frozenset(), frozenset(), frozenset())
# Every unit, as a superuser sees them: what the reminders look at.
ALL_UNITS = Scope(True, frozenset(), frozenset(), frozenset())


def user_scope(*, user) -> Scope:
    """What a user may do, by unit (one query: the memberships and, for a director,
    every unit below their units, walked in the database)."""
    if not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    if user.is_superuser:
        return Scope(True, frozenset(), frozenset(), frozenset())
    rows = _memberships_and_units_below(user.pk)
    if not any(role for _, role, _ in rows):
        return NO_SCOPE
    staff = frozenset(pk for pk, role, _ in rows if role == ROLE_STAFF)
    directed = frozenset(pk for pk, role, _ in rows if role is None)
    heads = frozenset(pk for pk, role, _ in rows if role == ROLE_DIRECTOR)
    departments = frozenset(pk for pk, role, _ in rows if role == _DEPARTMENT)
    seen = staff | directed
    tops = frozenset(
        pk for pk, role, parent in rows if role and (parent is None or parent not in seen)
    )
    return Scope(False, seen, directed, staff, heads, tops, departments)


# The role of a row of ``_memberships_and_units_below`` that names the department (top
# unit of the tree) above one of the user's memberships.
_DEPARTMENT = ""


def _memberships_and_units_below(user_id: int) -> list[tuple[int, str | None, int | None]]:
    """The user's memberships as (unit id, role, the unit's parent id), then each unit
    they direct or that lies below one they direct as (unit id, None, None), and the
    department above each membership as (unit id, ``_DEPARTMENT``, None): one recursive
    query, which SQLite and PostgreSQL both run, that reads only the subtrees the user
    directs and the units above their memberships."""
    quote = connection.ops.quote_name
    membership, unit = (quote(model._meta.db_table) for model in (Membership, Unit))
    sql = f"""
        WITH RECURSIVE directed(id) AS (
            SELECT unit_id FROM {membership} WHERE user_id = %s AND role = %s
            UNION
            SELECT child.id FROM {unit} child JOIN directed ON child.parent_id = directed.id
        ), above(id, parent_id) AS (
            SELECT u.id, u.parent_id FROM {unit} u
                JOIN {membership} m ON m.unit_id = u.id WHERE m.user_id = %s
            UNION
            SELECT u.id, u.parent_id FROM {unit} u JOIN above ON u.id = above.parent_id
        )
        SELECT m.unit_id, m.role, u.parent_id
            FROM {membership} m JOIN {unit} u ON u.id = m.unit_id WHERE m.user_id = %s
        UNION ALL
        SELECT id, NULL, NULL FROM directed
        UNION ALL
        SELECT id, %s, NULL FROM above WHERE parent_id IS NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, ROLE_DIRECTOR, user_id, user_id, _DEPARTMENT])
        return cursor.fetchall()


def _units_below_sql(heads: frozenset[int], also: tuple[int, ...] = ()) -> RawSQL:
    """The ids of ``heads`` and of every unit below them, and of ``also``, as a
    subquery (a recursive query, which SQLite and PostgreSQL both run)."""
    unit = connection.ops.quote_name(Unit._meta.db_table)
    listed = ", ".join(["%s"] * len(heads))
    sql = f"""WITH RECURSIVE below(id) AS (
            SELECT id FROM {unit} WHERE id IN ({listed})
            UNION
            SELECT child.id FROM {unit} child JOIN below ON child.parent_id = below.id
        ) SELECT id FROM below"""
    if also:
        sql += f" UNION SELECT id FROM {unit} WHERE id IN ({', '.join(['%s'] * len(also))})"
    return RawSQL(sql, [*sorted(heads), *also])


def unit_scope(*, unit: Unit) -> Scope:
    """The units a director of ``unit`` sees: it and every unit below (one query)."""
    below = frozenset(_units_below({unit.pk}, _tree()))
    return Scope(False, below, below, frozenset(), frozenset({unit.pk}), frozenset({unit.pk}))


def _tree() -> dict[int, int | None]:
    """Each unit's parent (one query)."""
    return dict(Unit.objects.values_list("pk", "parent_id"))


def _units_below(heads: set[int], tree: dict[int, int | None]) -> set[int]:
    """The units ``heads`` and every unit below them."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in tree.items():
        children.setdefault(parent, []).append(pk)
    directed: set[int] = set()
    stack = list(heads)
    while stack:
        pk = stack.pop()
        if pk in directed:
            continue
        directed.add(pk)
        stack.extend(children.get(pk, []))
    return directed


def _top_of(pk: int, tree: Mapping[int, int | None]) -> int:
    """The department (top unit) above a unit, or the unit itself at the top."""
    seen = set()
    while tree.get(pk) is not None and pk not in seen:
        seen.add(pk)
        pk = tree[pk]
    return pk


def departments_seen(
    *, scope: Scope, tree: Mapping[int, int | None] | None = None
) -> frozenset[int] | None:
    """The departments (top units) of the units a user sees, whose sheets they may
    read; None for a superuser or the city office, who see every one. At most one query
    (the tree of units, when neither the scope nor the caller has read it: ``tree``,
    each unit's parent)."""
    if scope.sees_all:
        return None
    if scope.departments is not None:
        return scope.departments
    if tree is None:
        tree = _tree() if scope.unit_ids else {}
    return frozenset(_top_of(pk, tree) for pk in scope.unit_ids)


def department_of(unit: Unit, tree: Mapping[int, int | None]) -> int:
    """The id of the department (top unit) above ``unit``, or its own at the top, from
    ``tree`` (each unit's parent)."""
    return _top_of(unit.pk, tree)


# --- the city's coordinating office ---


def may_view_city(*, user) -> bool:
    """Whether a user sees the city view (every department's sheet side by side): a
    superuser, or a holder of ``VIEW_CITY`` (given to them or to one of their groups in
    /admin/). A department's director does not: they see their own department. No
    query once the user's permissions are read (every page's navigation reads them)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(VIEW_CITY)


def reading_scope(*, user) -> Scope:
    """The units whose results a user reads on the result pages (the dashboard, an
    indicator, the matrix, a unit, the sheets and the XLSX, CSV and printable reports):
    those of ``user_scope``, and for the city office every unit (``reads_all``). What
    a user may do (reports, reviews, publishing, surveys) stays with ``user_scope``:
    the city office reads every department and acts in none but its own."""
    scope = user_scope(user=user)
    if scope.everything or not may_view_city(user=user):
        return scope
    return dataclasses.replace(scope, reads_all=True)


def sheets_scope(*, user) -> Scope:
    """The units whose signed sheets a user reads (``/sheets/``, the API's sheets): an
    admin of targets every unit's, since they load, sign and copy every sheet; anyone
    else those of ``reading_scope``."""
    if user.has_perm(CHANGE_TARGETS):
        return ALL_UNITS
    return reading_scope(user=user)


# --- the scope on the director's pages ---


def is_top_unit(unit: Unit, scope: Scope) -> bool:
    """A unit the pages show where they showed the department: a visible unit whose
    parent is not visible (for a superuser, a root unit)."""
    return is_top_below(unit.parent_id, scope)


def is_top_below(parent_id: int | None, scope: Scope) -> bool:
    """``is_top_unit`` of a visible unit whose parent is ``parent_id``: for a walk up
    the tree that reads the units' parents only."""
    return parent_id is None or parent_id not in scope


def top_units_only(queryset: QuerySet, scope: Scope | None, field: str = "unit") -> QuerySet:
    """The rows of ``queryset`` whose ``field`` is a top unit of ``scope`` (see
    ``is_top_unit``); without a scope, or for a superuser, the departments' rows."""
    if scope is None or scope.sees_all:
        return queryset.filter(**{f"{field}__parent__isnull": True})
    if scope.top_ids is not None:
        return queryset.filter(**{f"{field}__in": scope.top_ids})
    return scope.filter(queryset, field).exclude(**{f"{field}__parent__in": scope.ids()})


def below_top_units(queryset: QuerySet, scope: Scope | None, field: str = "unit") -> QuerySet:
    """The rows of ``queryset`` whose ``field`` is a unit of ``scope`` below its top
    units (the complement of ``top_units_only`` within the scope)."""
    if scope is None or scope.sees_all:
        # Said as "not a root" (the roots read once) rather than "has a parent", so
        # that counting a country's rows needs no join with its thousands of units.
        roots = Unit.objects.filter(parent__isnull=True).values("pk")
        return queryset.exclude(**{f"{field}__in": roots})
    if scope.top_ids is not None:
        return scope.filter(queryset, field).exclude(**{f"{field}__in": scope.top_ids})
    return scope.filter(queryset, field).filter(**{f"{field}__parent__in": scope.ids()})


def directs_units(*, scope: Scope) -> bool:
    """Whether a user approves reports of some unit: a director, or a superuser."""
    return bool(scope.director_ids) or scope.everything


# --- the quarterly report ---

# Who may take each action of the report form.
REPORT_ACTION_ROLES = {
    "save": ROLE_STAFF,
    "submit": ROLE_STAFF,
    "withdraw": ROLE_STAFF,
    "approve": ROLE_DIRECTOR,
    "return": ROLE_DIRECTOR,
    "reopen": ROLE_ADMIN,
}


def report_roles(*, user, unit: Unit, scope: Scope | None = None) -> frozenset[str]:
    """What a user may do with a unit's quarterly report: ``staff`` (edit and submit)
    with a staff membership on the unit, ``director`` (approve and return) as director
    of the unit or of a unit above it; a superuser may do all and ``admin`` (reopen).
    Empty: the user may not see the report at all."""
    scope = scope if scope is not None else user_scope(user=user)
    if scope.everything:
        return frozenset({ROLE_STAFF, ROLE_DIRECTOR, ROLE_ADMIN})
    roles = set()
    if unit.pk in scope.staff_ids:
        roles.add(ROLE_STAFF)
    if unit.pk in scope.director_ids:
        roles.add(ROLE_DIRECTOR)
    return frozenset(roles)


def may_take_report_action(*, roles: frozenset[str], action: str) -> bool:
    """Whether the roles on a unit allow an action of ``REPORT_ACTION_ROLES``."""
    return REPORT_ACTION_ROLES[action] in roles


def writes_reports(*, roles: frozenset[str]) -> bool:
    """Whether the roles on a unit let the user change its report's figures, evidence
    and plan (its staff, or a superuser)."""
    return ROLE_STAFF in roles


def may_edit_report(*, roles: frozenset[str], report: QuarterlyReport) -> bool:
    """Whether the report's form is open to the user: its staff, while it is editable
    and its quarter open for reporting (an admin, whatever the quarter)."""
    return (
        writes_reports(roles=roles)
        and report.editable
        and (ROLE_ADMIN in roles or report_open(report=report))
    )


def report_open(*, report: QuarterlyReport, today: dt.date | None = None) -> bool:
    """Whether a unit's staff may still write a quarter's report: the quarter has begun
    and is one of the last ``REPORT_OPEN_QUARTERS`` (the current one included), or an
    admin reopened its report (a draft that has been decided on). Older quarters, the
    baseline year among them, need an admin to reopen them with a reason."""
    today = today or timezone.localdate()
    age = (today.year * 4 + engine.quarter_of(today)) - (report.year * 4 + report.quarter)
    if age < 0:
        return False
    window = settings.REPORT_OPEN_QUARTERS
    reopened = report.state == QuarterlyReport.State.DRAFT and report.decided_at is not None
    return not window or age < window or reopened


def may_withdraw_report(*, roles: frozenset[str], report: QuarterlyReport) -> bool:
    """Whether the user may take back the report: its staff (or an admin), while it is
    submitted and not yet decided on, in a quarter still open for reporting."""
    return (
        writes_reports(roles=roles)
        and report.state == QuarterlyReport.State.SUBMITTED
        and (ROLE_ADMIN in roles or report_open(report=report))
    )


def may_decide_report(*, roles: frozenset[str], report: QuarterlyReport) -> bool:
    """Whether the user may approve or return the report: a director of the unit or of
    a unit above it, once the report is submitted."""
    return ROLE_DIRECTOR in roles and report.state == QuarterlyReport.State.SUBMITTED


def may_reopen_report(*, roles: frozenset[str], report: QuarterlyReport) -> bool:
    """Whether the user may reopen the report: an admin, once it is submitted or
    approved."""
    return ROLE_ADMIN in roles and report.state in (
        QuarterlyReport.State.SUBMITTED,
        QuarterlyReport.State.APPROVED,
    )


# --- publishing, completeness, recomputing ---


def may_publish(*, scope: Scope, department: Unit) -> bool:
    """Whether a user may publish a department's results: a superuser, or a director of
    the department itself. A director of a division may not, and only a department (a
    root unit) publishes."""
    if department.parent_id is not None:
        return False
    return scope.everything or department.pk in scope.director_ids


def completeness_visible(*, user, scope: Scope | None = None) -> bool:
    """Whether a user may see the reporting completeness page: a superuser, or a
    director of some unit. Without ``scope``, one query for users who are neither
    anonymous nor superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if scope is not None:
        return bool(scope.director_ids)
    return Membership.objects.filter(user=user, role=ROLE_DIRECTOR).exists()


def may_recompute(*, user) -> bool:
    """Whether a user may queue a recompute from the dashboard: a superuser."""
    return user.is_superuser
