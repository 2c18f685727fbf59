"""The director's pages: the dashboard, an indicator, the units x indicators matrix,
a unit. Each shows only the units the user sees (``access.user_scope``): a
superuser every unit, a member of staff their unit, a director their unit and every
unit below it. Where the pages showed the department they show the top units the user
sees (``access.is_top_unit``).

Only the rows of visible units are read. A row's detail names units of its own subtree
only (the units a coverage indicator missed), so the names shown in its "why" are of
units inside a unit the user sees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commitments import access, engine, insights, selectors, services
from commitments.models import Indicator, Status, Unit
from commitments.templatetags.statuses import status_target
from commitments.views.periods import QUARTERS, approvals, basis, period, provisional_note


def _is_open(year: int, quarter: int) -> bool:
    return timezone.localdate() <= engine.period_bounds(year, quarter)[1]


def _publisher(publication) -> str:
    """Who published a period's results: their name, "—" once their account is gone."""
    user = getattr(publication, "published_by", None)
    return (user.get_full_name() or user.get_username()) if user else "—"


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
def dashboard(request: HttpRequest) -> HttpResponse:
    """Which commitments are met, at risk or not met, why, and who is behind."""
    scope = access.user_scope(user=request.user)
    if scope.empty:
        return render(request, "commitments/no_units.html")
    years, year, quarter = period(request)
    reading = basis(request)
    statuses = selectors.statuses.year_statuses(year=year, scope=scope, basis=reading)
    category_names = selectors.statuses.category_names()
    units = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    unit_names = {code: unit.label for code, unit in units.items()}
    provisional = provisional_note(reading, units.values(), year=year, quarter=quarter, scope=scope)
    departments = sorted({s.unit for s in statuses}, key=lambda u: u.code)
    is_open = _is_open(year, quarter)
    published = (
        selectors.publications.publications_of_period(units=departments, year=year, quarter=quarter)
        if departments
        else {}
    )
    sections = [
        {
            "unit": department,
            "cards": insights.commitment_cards(
                statuses,
                unit=department,
                quarter=quarter,
                is_open=is_open,
                category_names=category_names,
                unit_names=unit_names,
            ),
            # Publishing results (công bố kết quả): a period that is over, by a
            # director of the department or a superuser.
            "publication": published.get(department.pk),
            "published_by": _publisher(published.get(department.pk)),
            "may_publish": not is_open and access.may_publish(scope=scope, department=department),
        }
        for department in departments
    ]
    return render(
        request,
        "commitments/dashboard.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "is_open": is_open,
            "sections": sections,
            "provisional": provisional,
            # The year's recompute (when computed, whether behind) and whether the user
            # may recompute come with every page: context_processors.recompute.
            "category_names": category_names,
        },
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator of a year's sheet: its value per quarter against the target (with
    where the target says otherwise than its signed words), the version of its
    definition, each category, and each unit with the figures behind its value; the
    chart and the department's rows are those of the top units the user sees."""
    years, year, quarter = period(request)
    scope = access.user_scope(user=request.user)
    target = _indicator_target(request, code, year, scope)
    indicator = target.indicator
    overrides = list(target.overrides.select_related("category"))
    reading = basis(request)
    rows = selectors.statuses.indicator_statuses(
        indicator=indicator, year=year, scope=scope, basis=reading
    )
    category_names = selectors.statuses.category_names()
    units = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    unit_names = {code: unit.label for code, unit in units.items()}
    provisional = provisional_note(reading, units.values(), year=year, quarter=quarter, scope=scope)
    for row in rows:
        row.top = access.is_top_unit(row.unit, scope)
    departments = [s for s in rows if s.top]
    department = departments[0].unit if departments else None
    period_rows = [s for s in rows if s.quarter == quarter]
    for row in period_rows:
        row.category_name = category_names.get(row.category, row.category)
        row.missing_names = [unit_names.get(c, c) for c in row.facts.missing]
        row.behind = [category_names.get(c, c) for c in row.facts.behind]
    chart = _chart(indicator, target, rows, department)
    unit_rows = sorted(
        (
            s
            for s in period_rows
            if s.category == "" and not s.top and s.status != engine.NOT_APPLICABLE
        ),
        key=lambda s: (insights.SEVERITY.get(s.status, 3), s.value is None, s.value or 0),
    )
    return render(
        request,
        "commitments/indicator.html",
        {
            "indicator": indicator,
            "target": target,
            "overrides": overrides,
            "mismatches": selectors.sheets.target_mismatches(target, overrides=overrides),
            "keep_unit": request.GET.get("unit", ""),
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "department_rows": [s for s in period_rows if s.top],
            "computed_with": selectors.sheets.version_computed(indicator=indicator, rows=rows),
            "unit_rows": unit_rows,
            "chart": chart,
            "provisional": provisional,
            "category_names": category_names,
        },
    )


def _indicator_target(request: HttpRequest, code: str, year: int, scope: access.Scope):
    """The target of the year of the indicator numbered ``code``: sheets number their
    indicators alike, so the one of the department asked for (``unit``), else of the
    first department whose sheet the user may read; 404 when there is none."""
    target = selectors.sheets.indicator_target(
        code=code, year=year, scope=scope, department=request.GET.get("unit", "")
    )
    if target is None:
        raise Http404(_("Chỉ tiêu này không có mục tiêu trong năm đã chọn."))
    return target


def _chart(indicator: Indicator, target, rows: list[Status], department: Unit | None) -> dict:
    """The indicator chart's numbers and labels, from the department's rows."""
    by_quarter = {
        s.quarter: s for s in rows if department and s.unit_id == department.pk and not s.category
    }
    return {
        **insights.chart_levels(indicator, target.threshold, by_quarter),
        "labels": [_("Quý %(q)s") % {"q": q} for q in (1, 2, 3, 4)],
        "series": _("Kết quả"),
        "target_label": _("Mục tiêu"),
        "year_label": _("Lũy kế năm"),
        "baseline_label": _("Năm gốc"),
    }


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """Units x indicators for one period, as a league table: worst units first, or
    sorted by one indicator."""
    years, year, quarter = period(request)
    scope = access.user_scope(user=request.user)
    reading = basis(request)
    statuses = selectors.statuses.matrix_statuses(
        year=year, quarter=quarter, scope=scope, basis=reading
    )
    # The departments' coverage rows mark only the units the user sees.
    every_unit = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    units = {code: unit for code, unit in every_unit.items() if unit in scope}
    provisional = provisional_note(reading, units.values(), year=year, quarter=quarter, scope=scope)
    category_names = selectors.statuses.category_names()
    columns: list[Indicator] = []
    cells: dict[tuple[int, str], str] = {}
    shown: dict[tuple[int, str], Status] = {}
    for status in statuses:
        if status.indicator not in columns:
            columns.append(status.indicator)
        code = status.indicator.code
        if status.indicator.kind == engine.COVERAGE and status.unit.parent_id is None:
            _mark_coverage(status, units, cells)
            continue
        cells[(status.unit_id, code)] = status.status
        shown[(status.unit_id, code)] = status
    rows = _matrix_rows(units.values(), columns, cells, shown, category_names)
    sort = request.GET.get("sort", "")
    _sort_matrix(rows, [c.code for c in columns], sort)
    return render(
        request,
        "commitments/matrix.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "columns": columns,
            "rows": rows,
            "sort": sort,
            "provisional": provisional,
        },
    )


def _mark_coverage(
    status: Status, units: dict[str, Unit], cells: dict[tuple[int, str], str]
) -> None:
    """Mark the matrix cells of the units a department's coverage row names."""
    code = status.indicator.code
    # A department's coverage row names the units that meet the condition and
    # those that miss it. Missing it fails a unit only where every unit must.
    missed = engine.AT_RISK if status.status == engine.AT_RISK else engine.NOT_MET
    for unit_code in status.facts.covered_units:
        if unit_code in units:
            cells[(units[unit_code].pk, code)] = engine.MET
    for unit_code in status.facts.missing if engine.every_unit_must(status.target) else []:
        if unit_code in units:
            cells[(units[unit_code].pk, code)] = missed


def _matrix_rows(
    units, columns: list[Indicator], cells: dict, shown: dict, category_names: dict
) -> list[dict]:
    """A row per unit that has a status in some column, with its counts. A cell of the
    unit's own row has its value and target (``status_target``: what was signed, for
    an indicator judged in each field); one whose value is provisional (not the
    official one) says so. A cell a department's coverage row marks has neither."""
    rows = []
    for unit in units:
        statuses_of_unit = [cells.get((unit.pk, c.code), "") for c in columns]
        if not any(statuses_of_unit):
            continue
        rows.append(
            {
                "unit": unit,
                "cells": [
                    _matrix_cell(s, c, shown.get((unit.pk, c.code)), category_names)
                    for s, c in zip(statuses_of_unit, columns, strict=True)
                ],
                "not_met": statuses_of_unit.count(engine.NOT_MET),
                "at_risk": statuses_of_unit.count(engine.AT_RISK),
                "met": statuses_of_unit.count(engine.MET),
            }
        )
    return rows


def _matrix_cell(
    status: str, indicator: Indicator, row: Status | None, category_names: dict
) -> dict:
    return {
        "status": status,
        "value": row.value if row else None,
        "target": status_target(row, category_names) if row and row.target is not None else "",
        "indicator": indicator,
        "differs": bool(row and row.differs),
    }


def _sort_matrix(rows: list[dict], codes: list[str], sort: str) -> None:
    """Worst units first, or by the indicator ``sort`` names when it is a column."""
    if sort in codes:
        index = codes.index(sort)
        rows.sort(
            key=lambda r: (
                insights.SEVERITY.get(r["cells"][index]["status"], 3),
                r["cells"][index]["value"] is None,
                r["cells"][index]["value"] or 0,
                r["unit"].code,
            )
        )
    else:
        rows.sort(key=lambda r: (-r["not_met"], -r["at_risk"], r["unit"].code))


@login_required
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: its own statuses (the indicators judged unit by unit, with their
    fields) and the department's coverage conditions it meets or misses. A unit the
    user does not see does not exist for them (the same 404 as an unknown code)."""
    scope = access.user_scope(user=request.user)
    years, year, quarter = period(request)
    reading = basis(request)
    units = selectors.statuses.units_by_code(approvals=approvals(reading, year, quarter))
    unit = units.get(code)
    if unit is None or unit not in scope:
        raise Http404(_("Không có đơn vị này."))
    provisional = provisional_note(
        reading,
        _subtree(unit, units.values()),
        year=year,
        quarter=quarter,
        scope=scope,
    )
    statuses = selectors.statuses.year_statuses(year=year, unit=unit, basis=reading)
    category_names = selectors.statuses.category_names()
    unit_names = {c: u.label for c, u in units.items()}
    by_id = {u.pk: u for u in units.values() if u in scope}
    cards = insights.commitment_cards(
        statuses,
        unit=unit,
        quarter=quarter,
        is_open=_is_open(year, quarter),
        category_names=category_names,
        unit_names=unit_names,
    )
    conditions = []
    for row in selectors.statuses.coverage_statuses(year=year, quarter=quarter, basis=reading):
        if code in row.facts.covered_units:
            conditions.append((row, engine.MET))
        elif code in row.facts.missing:
            conditions.append((row, engine.NOT_MET))
    return render(
        request,
        "commitments/unit.html",
        {
            "unit": unit,
            "parent": by_id.get(unit.parent_id),
            "children": sorted(
                (u for u in by_id.values() if u.parent_id == unit.pk), key=lambda u: u.code
            ),
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "cards": [card for card in cards if card.shown],
            "conditions": conditions,
            "report_url": _quarterly_report_url(request, unit, year, quarter, scope),
            "provisional": provisional,
            "category_names": category_names,
        },
    )


def _subtree(unit: Unit, units) -> list[Unit]:
    """A unit and every unit below it."""
    children: dict[int | None, list[Unit]] = {}
    for other in units:
        children.setdefault(other.parent_id, []).append(other)
    found, todo = [], [unit]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current.pk, []))
    return found


@require_POST
@login_required
def recompute_now(request: HttpRequest) -> HttpResponse:
    """Queue a recompute of a year at once (admins)."""
    if not access.may_recompute(user=request.user):
        raise PermissionDenied
    years = selectors.engine_inputs.years_with_targets()
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        raise Http404(_("Năm không có mục tiêu."))
    services.recompute.recompute_request(years=[year])
    messages.success(request, _("Đã yêu cầu tính lại trạng thái năm %(year)s.") % {"year": year})
    return redirect(f"{reverse('commitments:dashboard')}?year={year}")
