"""Pages: thin views that read through selectors."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commitments import selectors
from commitments.engine import YEAR


def _choice(request: HttpRequest, name: str, allowed: list[int], default: int) -> int:
    """An integer from the query string, or the default when absent or not allowed."""
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return value if value in allowed else default


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The statuses of a year (to date) or of one quarter, commitment by commitment."""
    years = selectors.years_with_targets()
    current = timezone.localdate().year
    default_year = current if current in years else (years[-1] if years else current)
    year = _choice(request, "year", years, default_year)
    quarter = _choice(request, "quarter", [YEAR, 1, 2, 3, 4], YEAR)
    names = selectors.category_names()
    position = {code: n for n, code in enumerate(names, start=1)}  # "" (the whole): 0
    statuses = sorted(
        selectors.department_statuses(year=year, quarter=quarter),
        key=lambda s: (s.unit.code, s.indicator.commitment.position, s.indicator.position,
                       position.get(s.category, 0)),
    )  # fmt: skip
    for status in statuses:
        status.category_name = names.get(status.category, status.category)
        status.behind = [names.get(code, code) for code in status.detail.get("behind", ())]
    departments = []
    for unit, unit_rows in groupby(statuses, key=lambda s: s.unit):
        commitments = []
        for commitment, rows in groupby(unit_rows, key=lambda s: s.indicator.commitment):
            commitments.append({"commitment": commitment, "rows": list(rows)})
        departments.append({"unit": unit, "commitments": commitments})
    return render(
        request,
        "commitments/dashboard.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": [YEAR, 1, 2, 3, 4],
            "departments": departments,
            "state": selectors.recompute_state(year=year),
        },
    )
