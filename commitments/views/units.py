"""The units x indicators matrix (bảng đơn vị và chỉ tiêu) and one unit's page.

The matrix shows one level of the unit tree at a time, as a league table: the unit
the reader stands on (at first the top units they see) apart at the top, then the
units directly below it, worst first or sorted by one indicator, a page of them at a
time; each leads a level further down (a country, its provinces, a province's
departments and communes, a department's units). A page never reads every unit of a
national tree: only the level it shows."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commitments import access, engine, insights, selectors
from commitments import matrix as league
from commitments.models import Unit
from commitments.views import paging
from commitments.views.periods import (
    QUARTERS,
    basis,
    compared_periods,
    is_open,
    period,
    provisional_note,
    quarters_ended,
)

# The matrix's rows are wide (an indicator a column): no more of them a page than of
# any other table's.
MATRIX_PER_PAGE = paging.PER_PAGE
# The units below a unit its page names; the matrix lists them all, a page at a time.
CHILDREN_NAMED = 30


def _seen_unit(code: str, scope: access.Scope) -> Unit:
    """The unit of ``code`` with how many units are directly below it, when the user
    sees it; else the same 404 as an unknown code."""
    unit = (
        Unit.objects.filter(code=code)
        .select_related("parent")
        .annotate(child_count=Count("children"))
        .first()
    )
    if unit is None or unit not in scope:
        raise Http404(_("Không có đơn vị này."))
    return unit


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """Units x indicators for one period and one level of the unit tree (``?unit=``,
    by default the top units the user sees): the unit apart at the top, then a page
    of the units directly below it, worst first or sorted by one indicator
    (``commitments.matrix``)."""
    years, year, quarter = period(request)
    scope = access.reading_scope(user=request.user)
    reading = basis(request)
    code = request.GET.get("unit", "")
    node = _seen_unit(code, scope) if code else None
    path = selectors.units.ancestors(node) if node else []
    tops = [node] if node else selectors.units.top_units(scope=scope)
    departments = selectors.units.departments_of(tops)
    roots = {pk for pk, _ in departments.values()}
    units = [*tops, *selectors.units.children(parents=tops, scope=scope)]
    statuses = selectors.statuses.matrix_statuses(
        year=year, quarter=quarter, units=units, roots=roots, basis=reading
    )
    columns, rows = league.matrix_table(
        statuses, units=units, tops={unit.pk for unit in tops}, roots=roots
    )
    sort = request.GET.get("sort", "")
    rows = league.sort_rows(rows, [c.code for c in columns], sort)
    page = paging.page_of([r for r in rows if not r["top"]], request, MATRIX_PER_PAGE)
    shown = [*(r for r in rows if r["top"]), *page.object_list]
    _link_cells(shown, year=year, quarter=quarter, departments=departments, scope=scope)
    return render(
        request,
        "commitments/matrix.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "columns": columns,
            "rows": league.dressed(shown, selectors.statuses.category_names()),
            "page": page,
            "node": node,
            "path": [u for u in path if u in scope],
            "legend": league.LEGEND,
            "sort": sort,
            # The links that keep the period and the view: another page, another
            # sort, another level.
            "page_query": paging.query(request),
            "sort_query": paging.query(request, without=("page", "sort")),
            "level_query": paging.query(request, without=("page", "unit")),
            "provisional": provisional_note(reading, year=year, quarter=quarter, scope=scope),
        },
    )


def _link_cells(rows: list[dict], *, year: int, quarter: int, departments, scope) -> None:
    """Each cell links to its indicator in the period shown, on the sheet of the row's
    department (``?unit=``, when the reader sees it: a member of staff of a division is
    not shown its department's code). ``departments``: each top unit's department, as
    ``selectors.units.departments_of`` gives it; a row below a top unit has its top's."""
    paths: dict[str, str] = {}
    for row in rows:
        unit = row["unit"]
        department = departments.get(unit.pk) or departments.get(unit.parent_id)
        unit_query = ""
        if department is not None and department[0] in scope:
            unit_query = f"&unit={quote(department[1])}"
        for cell in row["cells"]:
            code = cell["indicator"].code
            if code not in paths:
                paths[code] = reverse("commitments:indicator", args=[code])
            cell["href"] = f"{paths[code]}?year={year}&quarter={quarter}{unit_query}"


def _quarterly_report_url(
    request: HttpRequest, unit: Unit, year: int, quarter: int, scope: access.Scope
) -> str:
    """The unit's report of the quarter shown (this quarter when the page shows a whole
    year in progress, else the year's last), or "" when the user may not see it."""
    if not access.report_roles(user=request.user, unit=unit, scope=scope):
        return ""
    if not quarter:
        today = timezone.localdate()
        quarter = engine.quarter_of(today) if today.year == year else 4
    return reverse("commitments:quarterly_report", args=[unit.code, year, quarter])


@login_required
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: its own statuses (the indicators judged unit by unit, with their
    fields), the department's coverage conditions it meets or misses, and the units
    directly below it (the first few by name; all of them in the matrix). A unit the
    user does not see does not exist for them (the same 404 as an unknown code)."""
    scope = access.reading_scope(user=request.user)
    years, year, quarter = period(request)
    reading = basis(request)
    unit = _seen_unit(code, scope)
    statuses = selectors.statuses.year_statuses(year=year, unit=unit, basis=reading)
    category_names = selectors.statuses.category_names()
    ended = quarters_ended(year)
    cards = insights.commitment_cards(
        statuses,
        unit=unit,
        quarter=quarter,
        is_open=is_open(year, quarter),
        category_names=category_names,
        unit_names=selectors.units.unit_names(codes=insights.named_codes(statuses)),
        ended=ended,
    )
    conditions = []
    coverage = selectors.statuses.coverage_statuses(
        year=year, quarter=quarter, codes=[code], basis=reading
    )
    for row in coverage:
        state = insights.unit_condition(row, code)
        if state is not None:
            conditions.append((row, state))
    children = list(selectors.units.children(parents=[unit], scope=scope)[:CHILDREN_NAMED])
    return render(
        request,
        "commitments/unit.html",
        {
            "unit": unit,
            "parent": unit.parent if unit.parent_id and unit.parent_id in scope else None,
            "children": children,
            "more_children": unit.child_count - len(children) if children else 0,
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "cards": [card for card in cards if card.shown],
            "conditions": conditions,
            "report_url": _quarterly_report_url(request, unit, year, quarter, scope),
            "compared": compared_periods(year, quarter, ended),
            "provisional": provisional_note(
                reading, year=year, quarter=quarter, scope=scope, within=unit
            ),
            "category_names": category_names,
        },
    )
