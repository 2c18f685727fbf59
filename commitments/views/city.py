"""The city view (toàn thành phố): every department's sheet of a year side by side, for
the office that coordinates reform across the departments. Only for a superuser or a
holder of ``commitments.view_city`` (``access.may_view_city``); anyone else gets 403,
as for the other pages of a role. Each department opens its own dashboard
(``/?unit=<code>``), which the city office reads as the department's director would
(``access.reading_scope``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commitments import access, city, selectors
from commitments.views.periods import QUARTERS, basis, period, provisional_note


@login_required
@require_GET
def city_overview(request: HttpRequest) -> HttpResponse:
    """Each department's commitments in the period, ranked worst first, and the
    indicators of the definitions their sheets share, compared across them."""
    if not access.may_view_city(user=request.user):
        raise PermissionDenied
    years, year, quarter = period(request)
    reading = basis(request)
    rows, columns = city.city_table(
        selectors.city.city_reading(year=year, quarter=quarter, basis=reading),
        category_names=selectors.statuses.category_names(),
    )
    sort = request.GET.get("sort", "")
    return render(
        request,
        "commitments/city.html",
        {
            "years": years,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "rows": rows,
            "counts": city.COUNTS,
            "columns": columns,
            "compared": city.sort_rows(rows, columns, sort),
            "sort": sort,
            "legend": city.LEGEND,
            # Every unit's reports count in the provisional view's note.
            "provisional": provisional_note(
                reading, year=year, quarter=quarter, scope=access.ALL_UNITS
            ),
        },
    )
