"""One indicator (chỉ tiêu): its value per quarter against the target, each category,
and the units worst first with the figures behind their values, a page of them at a
time. Only the period shown is read for the units, and only the page shown of them:
a national tree's thousands of units are sorted and counted in the database."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commitments import access, insights, selectors
from commitments.models import Indicator, Status, Unit
from commitments.views import paging
from commitments.views.periods import QUARTERS, basis, period, provisional_note


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator of a year's sheet: its value per quarter against the target (with
    where the target says otherwise than its signed words), the version of its
    definition, each category, and each unit worst first with the figures behind its
    value; the chart and the department's rows are those of the top units the user
    sees."""
    years, year, quarter = period(request)
    scope = access.reading_scope(user=request.user)
    reading = basis(request)
    target = _indicator_target(code, year, scope, department=_sheet_department(request, scope))
    indicator = target.indicator
    overrides = list(target.overrides.select_related("category"))
    rows = selectors.statuses.indicator_statuses(
        indicator=indicator, year=year, scope=scope, basis=reading
    )
    category_names = selectors.statuses.category_names()
    department = rows[0].unit if rows else None
    units = paging.page_of(
        selectors.statuses.indicator_units_worst_first(
            indicator=indicator, year=year, quarter=quarter, scope=scope, basis=reading
        ),
        request,
    )
    for row in selectors.statuses.with_indicator(units, indicator):
        row.behind = [category_names.get(c, c) for c in row.facts.behind]
    return render(
        request,
        "commitments/indicator.html",
        {
            "indicator": indicator,
            "target": target,
            "overrides": overrides,
            "mismatches": selectors.sheets.target_mismatches(target, overrides=overrides),
            "keep_unit": request.GET.get("unit", ""),
            "computed_with": selectors.sheets.version_computed(indicator=indicator, rows=rows),
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "department_rows": _department_rows(rows, quarter, category_names),
            "unit_rows": units.object_list,
            "page": units,
            "page_query": paging.query(request),
            "chart": _chart(indicator, target, rows, department),
            "provisional": provisional_note(reading, year=year, quarter=quarter, scope=scope),
            "category_names": category_names,
        },
    )


def _sheet_department(request: HttpRequest, scope: access.Scope) -> str:
    """The code of the department whose sheet the indicator page shows: the department
    of the unit asked for (``?unit=<code>``), "" when none is. A unit of a department
    whose sheet the user does not read (another department, for a department's
    director) answers 404, the same as one that does not exist; a user who sees no
    unit at all (an admin of targets) reads any."""
    code = request.GET.get("unit", "")
    if not code or scope.empty:
        return code
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404(_("Không có đơn vị này."))
    department, department_code = selectors.units.departments_of([unit])[unit.pk]
    seen = access.departments_seen(scope=scope)
    if seen is not None and department not in seen:
        raise Http404(_("Không có đơn vị này."))
    return department_code


def _indicator_target(code: str, year: int, scope: access.Scope, *, department: str):
    """The target of the year of the indicator numbered ``code``: sheets number their
    indicators alike, so the one of the department asked for (``department``, a unit's
    code), else of the first department whose sheet the user may read; 404 when there
    is none."""
    target = selectors.sheets.indicator_target(
        code=code, year=year, scope=scope, department=department
    )
    if target is None:
        raise Http404(_("Chỉ tiêu này không có mục tiêu trong năm đã chọn."))
    return target


def _department_rows(rows: list[Status], quarter: int, category_names: dict) -> list[Status]:
    """The top units' rows of the period shown: each unit's whole, then its categories
    in the categories' order (the same on every page), with the names they show; of
    the units a row names, the first few (``insights.named_units``)."""
    order = {code: n for n, code in enumerate(category_names, start=1)}
    period_rows = sorted(
        (s for s in rows if s.quarter == quarter),
        key=lambda s: (s.unit.code, order.get(s.category, len(order) + 1) if s.category else 0),
    )
    unit_names = selectors.units.unit_names(codes=insights.named_codes(period_rows))
    for row in period_rows:
        row.category_name = category_names.get(row.category, row.category)
        row.missing_names = insights.named_units(
            row.facts.missing, unit_names, row.facts.missing_total
        )
        row.behind = [category_names.get(c, c) for c in row.facts.behind]
    return period_rows


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
