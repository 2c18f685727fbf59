"""One indicator (chỉ tiêu): its value per quarter against the target, each category,
and the units worst first with the figures behind their values, a page of them at a
time. Only the period shown is read for the units, and only the page shown of them:
a national tree's thousands of units are sorted and counted in the database."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commitments import access, insights, selectors
from commitments.models import Indicator, Status, Unit
from commitments.views import paging
from commitments.views.periods import QUARTERS, basis, period, provisional_note


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator: its value per quarter against the target, each category, and
    each unit worst first with the figures behind its value; the chart and the
    department's rows are those of the top units the user sees."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("commitment", "numerator", "denominator", "element"),
        code=code,
    )
    years, year, quarter = period(request)
    target = indicator.targets.filter(year=year).first()
    if target is None:
        raise Http404(_("Chỉ tiêu này không có mục tiêu trong năm đã chọn."))
    scope = access.user_scope(user=request.user)
    reading = basis(request)
    rows = selectors.statuses.indicator_statuses(
        indicator=indicator, year=year, scope=scope, basis=reading
    )
    category_names = selectors.statuses.category_names()
    department = rows[0].unit if rows else None
    units = paging.page_counted(
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
            "overrides": list(target.overrides.select_related("category")),
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
        row.missing_names = insights.named_units(row.facts.missing, unit_names)
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
